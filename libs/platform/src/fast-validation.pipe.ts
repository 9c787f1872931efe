import { ValidationPipe } from '@nestjs/common';
import {
  getMetadataStorage,
  ValidationTypes,
  type MetadataStorage,
  type ValidationArguments,
  type ValidationError,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
} from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/** True only when class-validator would certainly report no error for the object. */
type ValidCheck = (object: Record<string, unknown>) => boolean;

interface PropertyRules {
  conditions: ((object: object, value: unknown) => boolean)[];
  constraints: { metadata: ValidationMetadata; instance: ValidatorConstraintInterface }[];
  nested: boolean;
}

/**
 * Nest's ValidationPipe, with a shortcut for objects that pass: class-validator collects
 * every class's rules from its whole metadata store on each call and builds an error object
 * per property even when nothing fails, which is most of a small body's cost. Here a
 * class's rules are gathered once, and an object that satisfies all of them (the same
 * constraint instances, called with the same arguments, in the same conditions) is passed
 * without calling class-validator. Anything else (a failing or asynchronous rule, a nested
 * object, an unknown property, per-item rules, options beyond the plain ones) goes through
 * class-validator as before, so every error and every stripped property is exactly its own.
 */
export class FastValidationPipe extends ValidationPipe {
  private readonly checks = new Map<unknown, ValidCheck | null>();

  protected override validate(
    object: object,
    validatorOptions?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    if (isPlain(validatorOptions)) {
      const target = object.constructor;
      let check = this.checks.get(target);
      if (check === undefined) {
        check = typeof target === 'function' ? compileCheck(target, validatorOptions) : null;
        this.checks.set(target, check);
      }
      if (check !== null && check(object as Record<string, unknown>)) return [];
    }
    return super.validate(object, validatorOptions);
  }
}

/** Options the shortcut reproduces; groups, `always` and the skip flags go to class-validator. */
function isPlain(options: ValidatorOptions | undefined): options is ValidatorOptions {
  if (options === undefined) return false;
  return (
    (options.groups === undefined || options.groups.length === 0) &&
    options.always !== true &&
    options.strictGroups !== true &&
    options.skipMissingProperties !== true &&
    options.skipNullProperties !== true &&
    options.skipUndefinedProperties !== true
  );
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-validator keys its store by class
function compileCheck(target: Function, options: ValidatorOptions): ValidCheck | null {
  const storage = getMetadataStorage();
  // The same query class-validator's executor makes (no schema, no groups, not `always`).
  const metadatas = storage.getTargetValidationMetadatas(
    target,
    undefined as unknown as string,
    false,
    false,
    undefined,
  );
  if (metadatas.length === 0) return null;
  const properties = new Map<string, PropertyRules>();
  for (const metadata of metadatas) {
    let rules = properties.get(metadata.propertyName);
    if (rules === undefined) {
      rules = { conditions: [], constraints: [], nested: false };
      properties.set(metadata.propertyName, rules);
    }
    if (metadata.each) return null;
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        rules.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.CUSTOM_VALIDATION:
      case ValidationTypes.IS_DEFINED:
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return null;
          rules.constraints.push({ metadata, instance: constraint.instance });
        }
        break;
      case ValidationTypes.NESTED_VALIDATION:
        rules.nested = true;
        break;
      case ValidationTypes.WHITELIST:
        break;
      default:
        return null;
    }
  }
  const entries = [...properties];
  const whitelist = options.whitelist === true;
  return (object) => {
    // An unknown property is an error (forbidNonWhitelisted) or is stripped: class-validator's call.
    if (whitelist) for (const key of Object.keys(object)) if (!properties.has(key)) return false;
    for (const [property, rules] of entries) {
      const value = object[property];
      if (!rules.conditions.every((condition) => condition(object, value))) continue;
      if (rules.nested && value !== undefined) return false;
      for (const { metadata, instance } of rules.constraints) {
        if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
        // What class-validator passes: a fresh object per call, as a validator may keep it.
        const args: ValidationArguments = {
          targetName: target.name,
          property,
          object,
          value,
          constraints: metadata.constraints,
        };
        const valid: unknown = instance.validate(value, args);
        if (valid instanceof Promise || !valid) {
          if (valid instanceof Promise) valid.catch(() => undefined);
          return false;
        }
      }
    }
    return true;
  };
}
