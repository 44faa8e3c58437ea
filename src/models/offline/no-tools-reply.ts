import { cleanText } from "./text-terms.ts";

export type NoToolsReplyRequest = {
  userText: string;
  agentName: string | undefined;
  /** Whether the agent had tools, none of which fitted the request. */
  hadTools: boolean;
};

/** The honest reply when there is nothing to look up: no invented answer, just what is needed. */
export function composeNoToolsReply(request: NoToolsReplyRequest): string {
  const restated = cleanText(request.userText);
  const shortened = restated.length > 200 ? `${restated.slice(0, 197)}...` : restated;
  const asked = shortened.length > 0 ? `You asked: "${shortened}".` : "Your message was empty.";
  const who =
    request.agentName === undefined
      ? "This agent is answering with Switchboard's offline model"
      : `I am ${request.agentName}, answering with Switchboard's offline model`;
  const why = request.hadTools
    ? ", and none of my tools fits this request."
    : ", which has no tools or knowledge to look this up.";
  return `${asked} ${who}${why} Open-ended generation needs a configured model: set up a model provider for this agent to get a full answer.`;
}
