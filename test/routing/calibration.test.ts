import { describe, expect, it } from "vitest";
import {
  type CalibrationSample,
  calibratedConfidence,
  FAST_STAGE_CALIBRATION,
  fitCalibration,
} from "../../src/routing/calibration.ts";
import { runFastStage } from "../../src/routing/fast-stage.ts";
import { createRoutingIndexStore } from "../../src/routing/routing-index.ts";
import { loadLabelledQueries } from "./support/routing-fixture.ts";
import { oneInstancePerType } from "./support/template-instances.ts";

describe("calibration", () => {
  it("fitCalibration recovers the weights that generated the labels", () => {
    const truth = { scoreWeight: 2, marginWeight: 6, evidenceWeight: 3, bias: -3 };
    const samples: CalibrationSample[] = [];
    // A deterministic grid, labelled by thresholding the true probability at evenly spread levels.
    let level = 0;
    for (let score = 0; score <= 1; score += 0.05) {
      for (let margin = 0; margin <= 0.5; margin += 0.05) {
        for (const evidence of [0, 1 / 3, 2 / 3, 1]) {
          level = (level + 0.618_034) % 1;
          const probability = calibratedConfidence({ score, margin, evidence }, truth);
          samples.push({ score, margin, evidence, correct: level < probability });
        }
      }
    }
    const fitted = fitCalibration(samples);
    expect(fitted.marginWeight).toBeCloseTo(truth.marginWeight, 0);
    expect(fitted.evidenceWeight).toBeCloseTo(truth.evidenceWeight, 0);
    expect(Math.abs(fitted.scoreWeight - truth.scoreWeight)).toBeLessThan(1);
    expect(Math.abs(fitted.bias - truth.bias)).toBeLessThan(0.5);
  });

  it("gives more confidence to larger scores, margins and evidence", () => {
    const base = { score: 0.2, margin: 0.05, evidence: 1 / 3 };
    const confidence = calibratedConfidence(base);
    expect(calibratedConfidence({ ...base, margin: 0.2 })).toBeGreaterThan(confidence);
    expect(calibratedConfidence({ ...base, evidence: 1 })).toBeGreaterThan(confidence);
    expect(calibratedConfidence({ score: 0, margin: 0, evidence: 0 })).toBeLessThan(0.35);
  });

  it("the shipped weights are the tune-split fit of the shipped templates (refit if this fails)", () => {
    const index = createRoutingIndexStore().indexFor("tune", oneInstancePerType());
    const samples = loadLabelledQueries()
      .filter((entry) => entry.split === "tune")
      .map((entry) => {
        const top = runFastStage(index, entry.query).candidates[0];
        return {
          score: top?.features.score ?? 0,
          margin: top?.features.margin ?? 0,
          evidence: top?.features.evidence ?? 0,
          correct: top?.instance.type === entry.expected && entry.kind === undefined,
        };
      });
    const fitted = fitCalibration(samples);
    // `node test/routing/support/fit-calibration.ts` prints the new weights for calibration.ts.
    expect(fitted.scoreWeight).toBeCloseTo(FAST_STAGE_CALIBRATION.scoreWeight, 1);
    expect(fitted.marginWeight).toBeCloseTo(FAST_STAGE_CALIBRATION.marginWeight, 1);
    expect(fitted.evidenceWeight).toBeCloseTo(FAST_STAGE_CALIBRATION.evidenceWeight, 1);
    expect(fitted.bias).toBeCloseTo(FAST_STAGE_CALIBRATION.bias, 1);
  });
});
