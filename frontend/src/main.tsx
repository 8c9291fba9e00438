import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { ConfigError, loadConfig } from "./config.ts";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

function ConfigProblem({ message }: { message: string }) {
  return (
    <main className="page">
      <section className="card">
        <h1>The app is not configured</h1>
        <p role="alert" className="alert">
          {message}
        </p>
        <p className="hint">
          Serve <code>/config.js</code> setting{" "}
          <code>
            window.__CONFIG__ = {"{"}backendUrl, authServerUrl{"}"}
          </code>{" "}
          before the app's script.
        </p>
      </section>
    </main>
  );
}

let problem: string | null = null;
try {
  loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  problem = error.message;
}

createRoot(root).render(<StrictMode>{problem ? <ConfigProblem message={problem} /> : <App />}</StrictMode>);
