import { Link } from "react-router";

export const NotFound = () => (
  <>
    <h1>Page not found</h1>
    <p>
      There is no page here. Go to <Link to="/webhooks">Webhooks</Link>.
    </p>
  </>
);
