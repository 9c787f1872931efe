import { createRequire } from 'node:module';
import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import {
  getMetadataStorage,
  ValidationTypes,
  type MetadataStorage,
  type ValidationArguments,
  type ValidationError,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
} from 'class-validator';
import { describeTextProblem, findTextProblem } from './text-rules.js';

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
 * Likewise a flat body of plain values skips class-transformer where it would only copy
 * them (see `transform`). fast-validation.pipe.spec.ts checks answers against Nest's pipe.
 */
export class FastValidationPipe extends ValidationPipe {
  private readonly checks = new Map<unknown, ValidCheck | null>();
  private readonly copyable = new Map<unknown, ReadonlySet<string> | null>();
  private plainOptions?: ValidatorOptions | null;

  /**
   * A body or query of plain values (strings, numbers, booleans, null), each a property the
   * class validates and none with a class-transformer decorator, becomes an instance the way
   * class-transformer would make it (the class's constructor, then each value as it is);
   * when it also passes every rule it is the answer. Anything else, or anything that fails,
   * goes through Nest's pipe as it came.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    assertStorableText(value, metadata);
    const copy = this.plainCopy(value, metadata);
    if (copy !== undefined) return copy;
    return super.transform(value, metadata);
  }

  protected override validate(
    object: object,
    validatorOptions?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    const check = isPlain(validatorOptions) ? this.checkFor(object.constructor, validatorOptions) : null;
    if (check !== null && check(object as Record<string, unknown>)) return [];
    return super.validate(object, validatorOptions);
  }

  private checkFor(target: unknown, options: ValidatorOptions): ValidCheck | null {
    let check = this.checks.get(target);
    if (check === undefined) {
      check = typeof target === 'function' ? compileCheck(target, options) : null;
      this.checks.set(target, check);
    }
    return check;
  }

  /**
   * The options Nest's pipe validates a transformed value with, when the shortcut can
   * reproduce them (null otherwise). The pipe's options are fixed at construction, so this is
   * worked out on the first request.
   */
  private shortcutOptions(): ValidatorOptions | null {
    if (this.plainOptions === undefined) {
      const options = { ...this.validatorOptions, validationError: { target: false } };
      this.plainOptions = isPlain(options) ? options : null;
    }
    return this.plainOptions;
  }

  private plainCopy(value: unknown, metadata: ArgumentMetadata): object | undefined {
    const target = metadata.metatype;
    if (
      !this.isTransformEnabled ||
      this.expectedType !== undefined ||
      this.transformOptions !== undefined ||
      typeof target !== 'function' ||
      !this.toValidate(metadata) ||
      !isPlainRecord(value)
    )
      return undefined;
    const options = this.shortcutOptions();
    if (options === null) return undefined;
    const check = this.checkFor(target, options);
    if (check === null) return undefined;
    let keys = this.copyable.get(target);
    if (keys === undefined) {
      keys = copyableKeys(target, check);
      this.copyable.set(target, keys);
    }
    if (keys === null) return undefined;
    const instance = new (target as new () => Record<string, unknown>)();
    const prototype = target.prototype as object;
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (!keys.has(key) || (item !== null && typeof item === 'object') || typeof item === 'function')
        return undefined;
      // class-transformer leaves out getter-only accessors and methods of the class.
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      if ((descriptor && !descriptor.set) || instance[key] instanceof Function) return undefined;
      instance[key] = item;
    }
    return check(instance) ? instance : undefined;
  }
}

/**
 * Every string of a body, query or route parameter, whatever its DTO says, must be text
 * Postgres stores as given (text-rules.ts): refused here, before any handler or DTO rule runs,
 * as a 400 naming the field.
 */
function assertStorableText(value: unknown, metadata: ArgumentMetadata): void {
  if (metadata.type === 'custom') return;
  const problem = findTextProblem(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
  if (problem === null) return;
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: [describeTextProblem(problem, metadata.data ?? metadata.type)],
  });
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
  const check: ValidCheck = (object) => {
    // An unknown property is an error (forbidNonWhitelisted) or is stripped: class-validator's call.
    if (whitelist) for (const key of Object.keys(object)) if (!properties.has(key)) return false;
    for (const [property, rules] of entries) {
      const value = object[property];
      if (!allHold(rules.conditions, object, value)) continue;
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
  validatedProperties.set(check, [...properties.keys()]);
  return check;
}

/** Whether every @ValidateIf/@IsOptional condition holds (a loop: no closure per property). */
function allHold(
  conditions: readonly ((object: object, value: unknown) => boolean)[],
  object: object,
  value: unknown,
): boolean {
  for (const condition of conditions) if (!condition(object, value)) return false;
  return true;
}

/** The properties each compiled check knows (its class's validated properties). */
const validatedProperties = new WeakMap<ValidCheck, readonly string[]>();

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** class-transformer's decorator store (not exported by its index; the same module instance). */
interface TransformerStorage {
  getStrategy(target: object): string;
  getExposedMetadatas(target: object): unknown[];
  getExcludedMetadatas(target: object): unknown[];
  findTypeMetadata(target: object, property: string): unknown;
  findTransformMetadatas(target: object, property: string, transformationType: number): unknown[];
}

const PLAIN_TO_CLASS = 0;

function transformerStorage(): TransformerStorage | null {
  try {
    const storage = (
      createRequire(import.meta.url)('class-transformer/cjs/storage.js') as {
        defaultMetadataStorage?: TransformerStorage;
      }
    ).defaultMetadataStorage;
    return storage !== undefined && typeof storage.findTypeMetadata === 'function' ? storage : null;
  } catch {
    return null;
  }
}

/**
 * The properties a plain value may be copied into as it is: validated ones with no
 * class-transformer decorator, in a class with no class-level @Expose/@Exclude. Null when the
 * class has any (its values then go through class-transformer).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-transformer keys its store by class
function copyableKeys(target: Function, check: ValidCheck): ReadonlySet<string> | null {
  const storage = transformerStorage();
  const properties = validatedProperties.get(check);
  if (storage === null || properties === undefined) return null;
  if (
    storage.getStrategy(target) !== 'none' ||
    storage.getExposedMetadatas(target).length > 0 ||
    storage.getExcludedMetadatas(target).length > 0
  )
    return null;
  const keys = new Set<string>();
  for (const property of properties) {
    if (PROTO_KEYS.has(property)) continue;
    if (storage.findTypeMetadata(target, property) !== undefined) continue;
    if (storage.findTransformMetadatas(target, property, PLAIN_TO_CLASS).length > 0) continue;
    keys.add(property);
  }
  return keys;
}

/** Keys Nest strips from every value before validating it. */
const PROTO_KEYS = new Set(['__proto__', 'prototype', 'constructor']);
