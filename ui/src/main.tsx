// The dashboard's entry: data layer (TanStack Query), routes, and the page frame.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { ApiProblem } from "./api/client";
import { Layout } from "./components/Layout";
import { DeliveryDetail } from "./pages/deliveries/DeliveryDetail";
import { DeliveryList } from "./pages/deliveries/DeliveryList";
import { EventDetail } from "./pages/events/EventDetail";
import { EventList } from "./pages/events/EventList";
import { PublishEvent } from "./pages/events/PublishEvent";
import { NotFound } from "./pages/NotFound";
import { Portal } from "./pages/Portal";
import { SignIn } from "./pages/SignIn";
import { WebhookDetail } from "./pages/webhooks/WebhookDetail";
import { WebhookForm } from "./pages/webhooks/WebhookForm";
import { WebhookList } from "./pages/webhooks/WebhookList";
import { WorkflowDetail } from "./pages/workflows/WorkflowDetail";
import { WorkflowForm } from "./pages/workflows/WorkflowForm";
import { WorkflowList } from "./pages/workflows/WorkflowList";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a network blip or 5xx may.
      retry: (count, error) => count < 2 && !(error instanceof ApiProblem && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

const router = createBrowserRouter([
  { path: "/sign-in", element: <SignIn /> },
  { path: "/portal", element: <Portal /> },
  {
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/webhooks" replace /> },
      { path: "webhooks", element: <WebhookList /> },
      { path: "webhooks/new", element: <WebhookForm /> },
      { path: "webhooks/:id", element: <WebhookDetail /> },
      { path: "webhooks/:id/edit", element: <WebhookForm /> },
      { path: "deliveries", element: <DeliveryList /> },
      { path: "deliveries/:id", element: <DeliveryDetail /> },
      { path: "events", element: <EventList /> },
      { path: "events/new", element: <PublishEvent /> },
      { path: "events/:id", element: <EventDetail /> },
      { path: "workflows", element: <WorkflowList /> },
      { path: "workflows/new", element: <WorkflowForm /> },
      { path: "workflows/:id", element: <WorkflowDetail /> },
      { path: "*", element: <NotFound /> },
    ],
  },
]);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
