import type { Settings } from "../../src/config/settings.ts";
import { startOpenAiWireServer } from "./openai-wire-server.ts";
import { baseTestSettings, startTestServer, type TestServer } from "./test-server.ts";

export type WireServer = Awaited<ReturnType<typeof startOpenAiWireServer>>;

/**
 * A test server whose `openai-compatible:*` models talk to a local server speaking the OpenAI
 * wire format, so tests script exactly what "the provider" answers. No retries: a scripted
 * failure must show at once.
 */
export async function startServerWithWire(
  customize: (base: Settings) => Partial<Settings> = () => ({}),
): Promise<{ server: TestServer; wire: WireServer; close(): Promise<void> }> {
  const wire = await startOpenAiWireServer();
  const base = baseTestSettings();
  const custom = customize(base);
  const server = await startTestServer("pglite", {
    modelMaxRetries: 0,
    ...custom,
    // Whatever else a test changes about models, they still talk to the wire server.
    models: { ...base.models, ...custom.models, openaiCompatibleBaseUrl: wire.baseUrl },
  });
  return {
    server,
    wire,
    async close() {
      await server.close();
      await wire.close();
    },
  };
}
