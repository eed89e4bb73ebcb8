import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';

// Compiled once per schema object and kept: `Value.Check` walked the schema on every call, which
// was 3–5 % of each service's CPU in the checkout benchmark (events and service answers).
const compiled = new WeakMap<TSchema, Validator>();

function validatorOf(schema: TSchema): Validator {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  return validator;
}

/** Whether `value` matches `schema`. */
export function matches(schema: TSchema, value: unknown): boolean {
  return validatorOf(schema).Check(value);
}

/** The first `max` mismatches of a value that does not match (`matches` first); empty when none is named. */
export function mismatches(schema: TSchema, value: unknown, max: number): { instancePath: string; message: string }[] {
  return validatorOf(schema).Errors(value).slice(0, max);
}
