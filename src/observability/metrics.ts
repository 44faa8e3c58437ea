import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Prometheus metrics. Labels are bounded on purpose — route templates, agent types, statuses —
 * never account or instance ids, whose number grows with the customer base.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "switchboard_" });

  const httpRequests = new Counter({
    name: "switchboard_http_requests_total",
    help: "HTTP requests answered, by method, route template and status code",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "switchboard_http_request_duration_seconds",
    help: "Time to answer an HTTP request (for streams: until the stream ends)",
    labelNames: ["method", "route"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const runs = new Counter({
    name: "switchboard_agent_runs_total",
    help: "Agent runs finished, by agent type, depth (0 = called by the client) and status",
    labelNames: ["agent_type", "depth", "status"] as const,
    registers: [registry],
  });
  const runDuration = new Histogram({
    name: "switchboard_agent_run_duration_seconds",
    help: "Duration of agent runs",
    labelNames: ["agent_type"] as const,
    buckets: [0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const tokens = new Counter({
    name: "switchboard_tokens_total",
    help: "Model tokens used, by agent type and direction",
    labelNames: ["agent_type", "direction"] as const,
    registers: [registry],
  });
  const runsInFlight = new Gauge({
    name: "switchboard_agent_runs_in_flight",
    help: "Agent runs in progress in this process",
    registers: [registry],
  });

  return {
    registry,
    recordRequest(method: string, route: string, status: number, seconds: number) {
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ method, route }, seconds);
    },
    runStarted() {
      runsInFlight.inc();
    },
    runFinished(run: {
      agentType: string;
      depth: number;
      status: string;
      seconds: number;
      inputTokens: number;
      outputTokens: number;
    }) {
      runsInFlight.dec();
      // Depth beyond 3 shares a label value: the label set stays small however deep trees nest.
      runs.inc({
        agent_type: run.agentType,
        depth: run.depth > 3 ? "4+" : String(run.depth),
        status: run.status,
      });
      runDuration.observe({ agent_type: run.agentType }, run.seconds);
      tokens.inc({ agent_type: run.agentType, direction: "input" }, run.inputTokens);
      tokens.inc({ agent_type: run.agentType, direction: "output" }, run.outputTokens);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
