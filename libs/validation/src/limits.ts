/**
 * Bounds every store downstream accepts (Avro strings, one Kafka record, Postgres text and jsonb),
 * with room to spare: a request within them is never acknowledged and then refused later. The
 * table in docs/ARCHITECTURE.md ("Input limits") lists them per field. Lengths are UTF-16 code
 * units (JavaScript string length): at most 3 UTF-8 bytes each.
 */
export const INPUT_LIMITS = {
  /** A free-text value when its field sets no tighter bound. */
  textChars: 256,
  /** A key of any map (labels, seeds, hyperparameters, metric names, tolerance keys). */
  mapKeyChars: 256,
  /** Entries in any one map. */
  mapEntries: 1000,
  /** Items in a list when its field sets no tighter bound. */
  arrayItems: 10_000,
  /** Nesting of a JSON request body (objects and arrays). */
  jsonDepth: 64,
} as const;
