/**
 * A JSON array of numbers read straight into a typed array: what a streamed
 * parse (persist/jsonText.ts) gives for the large arrays of numbers of a
 * snapshot (a model's factors) instead of a JavaScript array, and what the
 * readers of those arrays accept as such an array. A plain Float64Array is
 * not one: a snapshot object made by hand still gives number arrays.
 */
export class JsonNumbers extends Float64Array {}

/** Whether `value` is an array as JSON text gives it: a JavaScript array, or {@link JsonNumbers}. */
export function isJsonArray(value: unknown): value is readonly unknown[] | JsonNumbers {
  return Array.isArray(value) || value instanceof JsonNumbers;
}
