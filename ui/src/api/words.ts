// An API error in words a clinic admin can act on; raw JSON is never shown.
import { ApiProblem } from "./client";

/** `conflict` is what a 409 means on this page, e.g. "Someone moved this workflow on: reload." */
export function problemInWords(error: unknown, conflict?: string): string {
  if (!(error instanceof ApiProblem)) return "Something went wrong. Please try again.";
  switch (error.status) {
    case 0:
      return error.message;
    case 400:
      return `Please check the form: ${error.message}.`;
    case 401:
      return "Your session has ended. Please sign in again.";
    case 403:
      return "Your role does not allow this action.";
    case 404:
      return "Not found: it may have been deleted, or it belongs to another clinic.";
    case 409:
      return conflict ?? `This changed in the meantime: ${error.message}. Reload and try again.`;
    case 413:
      return "That is too large to send.";
    case 429:
      return "Too many requests right now. Wait a moment and try again.";
    default:
      return "The server could not do this just now. Please try again in a moment.";
  }
}

export const problemDetails = (error: unknown) => (error instanceof ApiProblem ? error.details : []);
