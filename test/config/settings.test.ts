import { describe, expect, it } from "vitest";
import { loadSettings, SettingsError } from "../../src/config/settings.ts";

describe("loadSettings", () => {
  it("defaults to the embedded setup on 127.0.0.1:8080", () => {
    const settings = loadSettings({});
    expect(settings).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      redisUrl: null,
      adminKey: null,
      logLevel: "info",
      database: { driver: "pglite" },
    });
    expect(settings.dataDir).toMatch(/\/data$/);
  });

  it("uses PostgreSQL when DATABASE_URL is set, and memory for :memory:", () => {
    expect(loadSettings({ DATABASE_URL: "postgres://u@h/db" }).database).toEqual({
      driver: "postgres",
      url: "postgres://u@h/db",
    });
    const memory = loadSettings({ SWITCHBOARD_DATA_DIR: ":memory:" });
    expect(memory.dataDir).toBeNull();
    expect(memory.database).toEqual({ driver: "pglite", dataDir: null });
  });

  it("treats an empty variable as unset", () => {
    expect(loadSettings({ DATABASE_URL: "", PORT: "" })).toMatchObject({
      port: 8080,
      database: { driver: "pglite" },
    });
  });

  it("fails fast naming every bad variable, without echoing secrets", () => {
    const attempt = () =>
      loadSettings({
        PORT: "eighty",
        DATABASE_URL: "mysql://nope",
        LOG_LEVEL: "loud",
        SWITCHBOARD_ADMIN_KEY: "short-secret",
      });
    expect(attempt).toThrow(SettingsError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      for (const variable of ["PORT", "DATABASE_URL", "LOG_LEVEL", "SWITCHBOARD_ADMIN_KEY"]) {
        expect(message).toContain(variable);
      }
      expect(message).not.toContain("short-secret");
    }
  });
});
