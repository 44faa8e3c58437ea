import { describe, expect, it } from "vitest";
import {
  extractDocumentText,
  formatOfFile,
  guessTextFormat,
  titleFromFileName,
} from "../../src/knowledge/document-text.ts";
import { minimalPdf } from "../support/minimal-pdf.ts";

describe("document text", () => {
  it("turns markdown into readable text: title from the first heading, sections leading their paragraphs", async () => {
    const markdown = [
      "# Refund policy",
      "",
      "Refunds are **always** paid back to the",
      "original [payment method](https://pay.example/help).",
      "",
      "## Annual plans",
      "",
      "Annual plans are refunded within `14` days.",
      "",
      "## Contacts",
      "",
      "- billing@northwind.example",
      "- support@northwind.example",
    ].join("\n");
    const { text, title } = await extractDocumentText(markdown, "markdown");
    expect(title).toBe("Refund policy");
    expect(text).toBe(
      [
        "Refunds are always paid back to the original payment method.",
        "Annual plans: Annual plans are refunded within 14 days.",
        "Contacts:\n- billing@northwind.example\n- support@northwind.example",
      ].join("\n\n"),
    );
  });

  it("turns HTML into text without markup, scripts or styles, titled by <title>", async () => {
    const { text, title } = await extractDocumentText(
      "<html><head><title>Holidays &amp; leave</title><style>.x{}</style></head><body><nav>Home | About</nav>" +
        "<h2>Leave</h2><p>Employees get <em>28 days</em> of paid holiday.</p><script>track()</script></body></html>",
      "html",
    );
    expect(title).toBe("Holidays & leave");
    expect(text).toContain("Leave");
    expect(text).toContain("Employees get 28 days of paid holiday.");
    expect(text).not.toMatch(/[<>]|track|\.x|Home \| About/);
  });

  it("reads the text and title of a PDF, and says clearly when a file is not one", async () => {
    const pdf = minimalPdf(["Expense policy", "Taxis are reimbursed after 10 pm."], "Expenses");
    const { text, title } = await extractDocumentText(pdf, "pdf");
    expect(title).toBe("Expenses");
    expect(text).toContain("Taxis are reimbursed after 10 pm.");
    await expect(extractDocumentText(new TextEncoder().encode("%PDF-garbage"), "pdf")).rejects.toMatchObject({
      code: "DOCUMENT_UNREADABLE",
    });
  });

  it("joins hard-wrapped lines of plain text but keeps list items apart", async () => {
    const { text } = await extractDocumentText(
      "Parking is on level two\nfor visitors.\n- Bikes: basement\n- Cars: level two",
      "text",
    );
    expect(text).toBe("Parking is on level two for visitors.\n- Bikes: basement\n- Cars: level two");
  });

  it("knows formats by extension, by source and by content", () => {
    expect(formatOfFile("Guide.MD")).toBe("markdown");
    expect(formatOfFile("scan.pdf")).toBe("pdf");
    expect(() => formatOfFile("notes.docx")).toThrow(/not a supported document type/);
    expect(guessTextFormat("plain words", "page.html?x=1")).toBe("html");
    expect(guessTextFormat("<p>hello</p>", null)).toBe("html");
    expect(guessTextFormat("# Title\n\ntext", undefined)).toBe("markdown");
    expect(guessTextFormat("Just a sentence.", undefined)).toBe("text");
    expect(titleFromFileName("docs/security-practices.md")).toBe("Security practices");
  });
});
