/**
 * Turns the fast stage's raw signals into a confidence in [0, 1]: a logistic on the candidate's
 * score, its margin over the best candidate of another type, and how much of the message it
 * actually recognises,
 *
 *   confidence = 1 / (1 + exp(-(scoreWeight · score + marginWeight · margin
 *                                + evidenceWeight · evidence + bias)))
 *
 * where evidence = min(3, distinct message words found in the instance's description and
 * examples + matched keywords) / 3. Cosine similarity flatters short messages: "and for 40
 * people?" shares one ordinary word with one example and looks as close to it as a real match;
 * the evidence term lets the fit learn that one recognised word is weak support.
 *
 * The weights are fitted by logistic regression (`fitCalibration`) on the tune split of
 * test/fixtures/routing-queries.json: a sample is the top candidate of one query, labelled
 * correct when its type is the expected one (nonsense queries never count as correct: whatever
 * tops them does so by chance). Refit with `node test/routing/support/fit-calibration.ts` after
 * changing the scoring or the templates' routing sections, and paste the printed weights here.
 */
export interface Calibration {
  scoreWeight: number;
  marginWeight: number;
  evidenceWeight: number;
  bias: number;
}

export interface CalibrationFeatures {
  score: number;
  margin: number;
  /** In [0, 1]: recognised words and keywords, three or more counting as 1. */
  evidence: number;
}

/**
 * Fitted on the tune split (115 queries) with FAST_STAGE_WEIGHTS and the templates as shipped.
 * Nothing recognised (score 0, margin 0, evidence 0) gives 0.11 and falls back; one ordinary
 * word recognised ("and for 40 people?") about 0.35; a clear match (score 0.3, margin 0.2, three
 * words) 0.96.
 */
export const FAST_STAGE_CALIBRATION: Calibration = {
  scoreWeight: 1.61,
  marginWeight: 9.22,
  evidenceWeight: 2.99,
  bias: -2.11,
};

export function calibratedConfidence(
  features: CalibrationFeatures,
  calibration: Calibration = FAST_STAGE_CALIBRATION,
): number {
  const logit =
    calibration.scoreWeight * features.score +
    calibration.marginWeight * features.margin +
    calibration.evidenceWeight * features.evidence +
    calibration.bias;
  return 1 / (1 + Math.exp(-logit));
}

export interface CalibrationSample extends CalibrationFeatures {
  correct: boolean;
}

/**
 * Maximum-likelihood logistic regression by Newton's method, with a small ridge penalty on the
 * weights (not the bias) so a perfectly separable tune split still gives finite weights instead
 * of a step function.
 */
export function fitCalibration(
  samples: readonly CalibrationSample[],
  options: { ridge?: number; iterations?: number } = {},
): Calibration {
  const ridge = options.ridge ?? 0.01;
  const size = 4;
  const weights = new Array<number>(size).fill(0);
  for (let iteration = 0; iteration < (options.iterations ?? 50); iteration += 1) {
    const gradient = weights.map((weight, index) => (index < size - 1 ? -ridge * weight : 0));
    const hessian = weights.map((_, row) =>
      weights.map((_, column) => (row === column ? (row < size - 1 ? ridge : 1e-9) : 0)),
    );
    for (const sample of samples) {
      const features = [sample.score, sample.margin, sample.evidence, 1];
      const logit = features.reduce((sum, value, index) => sum + value * (weights[index] ?? 0), 0);
      const probability = 1 / (1 + Math.exp(-logit));
      const error = (sample.correct ? 1 : 0) - probability;
      const curvature = probability * (1 - probability);
      features.forEach((rowValue, row) => {
        gradient[row] = (gradient[row] ?? 0) + error * rowValue;
        const hessianRow = hessian[row] ?? [];
        features.forEach((columnValue, column) => {
          hessianRow[column] = (hessianRow[column] ?? 0) + curvature * rowValue * columnValue;
        });
      });
    }
    const step = solveLinear(hessian, gradient);
    weights.forEach((weight, index) => {
      weights[index] = weight + (step[index] ?? 0);
    });
    if (step.every((value) => Math.abs(value) < 1e-9)) break;
  }
  const [scoreWeight = 0, marginWeight = 0, evidenceWeight = 0, bias = 0] = weights;
  return { scoreWeight, marginWeight, evidenceWeight, bias };
}

/** Gaussian elimination with partial pivoting: the Newton step H·x = g. */
function solveLinear(matrix: readonly number[][], vector: readonly number[]): number[] {
  const size = vector.length;
  const rows = matrix.map((row, index) => [...row, vector[index] ?? 0]);
  for (let column = 0; column < size; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < size; row += 1) {
      if (Math.abs(rows[row]?.[column] ?? 0) > Math.abs(rows[pivot]?.[column] ?? 0)) pivot = row;
    }
    const pivotRow = rows[pivot] ?? [];
    rows[pivot] = rows[column] ?? [];
    rows[column] = pivotRow;
    const divisor = pivotRow[column] ?? 0;
    if (Math.abs(divisor) < 1e-12) return new Array<number>(size).fill(0);
    for (let row = 0; row < size; row += 1) {
      if (row === column) continue;
      const current = rows[row] ?? [];
      const factor = (current[column] ?? 0) / divisor;
      for (let index = column; index <= size; index += 1) {
        current[index] = (current[index] ?? 0) - factor * (pivotRow[index] ?? 0);
      }
    }
  }
  return rows.map((row, index) => (row[size] ?? 0) / (row[index] ?? 1));
}
