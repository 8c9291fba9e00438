// Development fallback only. In production backend/spa answers GET /config.js with the real values.
window.__CONFIG__ = { backendUrl: "http://localhost:8081", authServerUrl: "http://localhost:8080" };
