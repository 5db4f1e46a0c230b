// The server modules whose types the dashboard borrows (src/schemas/*) mention the Worker's
// `Env` in passing; the browser build never sees a binding, so an empty one satisfies them.
interface Env {}
