import { describe, expect, it } from "vitest";
import { splitParts } from "../../../src/models/offline/split-parts.ts";

describe("splitParts", () => {
  it("splits a comparison into one part per item", () => {
    expect(splitParts("Compare Postgres and MySQL", 3)).toEqual(["Postgres", "MySQL"]);
    expect(splitParts("Can you compare Postgres, MySQL and SQLite for analytics?", 3)).toEqual([
      "Postgres for analytics",
      "MySQL for analytics",
      "SQLite for analytics",
    ]);
    expect(splitParts("What is the difference between REST and GraphQL?", 3)).toEqual(["REST", "GraphQL"]);
    expect(splitParts("Which is better, Vue vs React?", 3)).toEqual(["Vue", "React"]);
  });

  it("splits sentences and 'X, then Y' / 'X and <verb> Y' clauses", () => {
    expect(splitParts("Find the refund policy, then draft a reply.", 3)).toEqual([
      "Find the refund policy",
      "Draft a reply.",
    ]);
    expect(splitParts("Summarise the report and list the risks", 3)).toEqual([
      "Summarise the report",
      "List the risks",
    ]);
    expect(splitParts("What is Kafka? How does it scale?", 3)).toEqual([
      "What is Kafka?",
      "How does it scale?",
    ]);
  });

  it("keeps 'and' inside a noun phrase together", () => {
    expect(splitParts("Tell me about salt and pepper shakers", 3)).toEqual([
      "Tell me about salt and pepper shakers",
    ]);
  });

  it("caps the number of parts and keeps the overflow in the last one", () => {
    expect(splitParts("Explain A. Explain B. Explain C. Explain D.", 2)).toEqual([
      "Explain A.",
      "Explain B. Explain C. Explain D.",
    ]);
  });

  it("returns nothing for a message without words", () => {
    expect(splitParts("  ?! ", 3)).toEqual([]);
  });
});
