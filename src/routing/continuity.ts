import type { RouterConfig } from "../config/router-config.ts";
import type { RoutableInstance } from "./routing-types.ts";

export interface ContinuityInput {
  /** The conversation's current instance, when it is still active. */
  current: RoutableInstance;
  /** How well the current instance fits this message (fast-stage confidence of its candidate). */
  currentConfidence: number;
  /** The best answer for the message on its own: its type and confidence. */
  challenger: { type: RoutableInstance["type"]; confidence: number };
  routerConfig: RouterConfig;
}

export type ContinuityVerdict = { stay: true; reason: string } | { stay: false; reason: string };

const format = (value: number) => value.toFixed(2);

/**
 * A follow-up ("and for 40 seats?") rarely says on its own who should answer, so a conversation
 * stays with its current instance unless another one wins clearly: at least
 * `stickiness.switch_margin` more confident than the current one AND at least `thresholds.accept`.
 * A challenger of the current instance's own type never forces a switch.
 */
export function judgeContinuity(input: ContinuityInput): ContinuityVerdict {
  const { current, currentConfidence, challenger, routerConfig } = input;
  const { switch_margin: margin } = routerConfig.stickiness;
  const { accept } = routerConfig.thresholds;
  if (challenger.type === current.type) {
    return {
      stay: true,
      reason: `follow-up stays with ${current.slug}: the message still fits ${current.type}`,
    };
  }
  const lead = challenger.confidence - currentConfidence;
  if (challenger.confidence >= accept && lead >= margin) {
    return {
      stay: false,
      reason:
        `topic changed: ${challenger.type} at ${format(challenger.confidence)} beats ${current.slug} at ` +
        `${format(currentConfidence)} by ${format(lead)} (switch margin ${format(margin)}, accept ${format(accept)})`,
    };
  }
  return {
    stay: true,
    reason:
      `follow-up stays with ${current.slug}: best alternative ${challenger.type} at ${format(challenger.confidence)} ` +
      `does not beat it (${format(currentConfidence)}) by ${format(margin)} with at least ${format(accept)}`,
  };
}
