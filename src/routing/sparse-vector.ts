/**
 * A unit vector stored as its non-zero buckets. A routing text has a few dozen features, so
 * even at thousands of dimensions a profile costs well under a kilobyte, and a dot product
 * with a dense query costs one multiply per feature instead of one per dimension.
 */
export interface SparseVector {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

export function toSparse(dense: Float32Array): SparseVector {
  let count = 0;
  for (const value of dense) if (value !== 0) count += 1;
  const indices = new Uint32Array(count);
  const values = new Float32Array(count);
  let position = 0;
  for (let index = 0; index < dense.length; index += 1) {
    const value = dense[index] ?? 0;
    if (value === 0) continue;
    indices[position] = index;
    values[position] = value;
    position += 1;
  }
  return { indices, values };
}

/** The cosine similarity when both sides are unit vectors (or zero). */
export function dotDense(dense: Float32Array, sparse: SparseVector): number {
  let sum = 0;
  const { indices, values } = sparse;
  for (let position = 0; position < indices.length; position += 1) {
    sum += (dense[indices[position] ?? 0] ?? 0) * (values[position] ?? 0);
  }
  return sum;
}

/** The normalised sum of several unit vectors: the direction they share. */
export function sparseCentroid(vectors: readonly Float32Array[], dimensions: number): SparseVector {
  const sum = new Float32Array(dimensions);
  for (const vector of vectors) {
    for (let index = 0; index < dimensions; index += 1) sum[index] = (sum[index] ?? 0) + (vector[index] ?? 0);
  }
  let norm = 0;
  for (const value of sum) norm += value * value;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let index = 0; index < dimensions; index += 1) sum[index] = (sum[index] ?? 0) * scale;
  }
  return toSparse(sum);
}
