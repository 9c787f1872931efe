import 'reflect-metadata';
import { describe, expect, it, jest } from '@jest/globals';
import { ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import { Expose, Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FastValidationPipe } from './fast-validation.pipe.js';

class Inner {
  @IsString()
  @Matches(/^[a-z]+$/)
  @MaxLength(8)
  name!: string;

  @IsOptional()
  @IsBoolean()
  custom?: boolean;
}

class Plan {
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @IsInt()
  @Min(0)
  @Max(2 ** 50)
  bytes!: number;

  @IsIn(['low', 'normal', 'high'])
  priority!: string;

  @ValidateIf((plan: Plan) => plan.priority === 'high')
  @IsInt()
  @Min(1)
  deadline?: number;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => Inner)
  inner?: Inner;
}

class Tags {
  @IsArray()
  @IsString({ each: true })
  tags!: string[];
}

class Trimmed {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(3)
  name!: string;

  @IsOptional()
  @IsInt()
  count?: number;
}

@Expose()
class Exposed {
  @IsOptional()
  @IsString()
  name?: string;
}

class Empty {
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

const PLAN_INPUTS: unknown[] = [
  { bytes: 1, priority: 'normal' },
  { bytes: 0, priority: 'low', tenantId: '3b241101-e2bb-4255-8caf-4136c566a962' },
  { bytes: 1, priority: 'normal', tenantId: 'nope' },
  { bytes: -1, priority: 'normal' },
  { bytes: 1.5, priority: 'normal' },
  { bytes: '1', priority: 'normal' },
  { priority: 'normal' },
  { bytes: 1, priority: 'urgent' },
  { bytes: 1, priority: 'high' },
  { bytes: 1, priority: 'high', deadline: 5 },
  { bytes: 1, priority: 'normal', deadline: 'whenever' },
  { bytes: 1, priority: 'normal', extra: true },
  { bytes: 1, priority: 'normal', inner: { name: 'abc' } },
  { bytes: 1, priority: 'normal', inner: { name: 'ABC' } },
  { bytes: 1, priority: 'normal', inner: 'abc' },
  { bytes: 1, priority: 'normal', tenantId: null },
  {},
  [],
  'text',
  null,
];

async function outcome(pipe: ValidationPipe, value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
  try {
    const result: unknown = await pipe.transform(structuredClone(value), metadata);
    return {
      ok: true,
      type: (result as object | null)?.constructor?.name,
      // Own properties by name, those set to undefined included (toEqual would not tell).
      own: result !== null && typeof result === 'object' ? Object.getOwnPropertyNames(result).sort() : [],
      value: JSON.parse(JSON.stringify(result ?? null)) as unknown,
    };
  } catch (error) {
    return { ok: false, response: (error as { getResponse(): unknown }).getResponse() };
  }
}

describe('FastValidationPipe', () => {
  const variants: ValidationPipeOptions[] = [
    { whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false },
    { whitelist: true, transform: true },
    { transform: true, stopAtFirstError: true },
  ];
  it.each(variants)('answers exactly as ValidationPipe does (%o)', async (options) => {
    const plain = new ValidationPipe(options);
    const fast = new FastValidationPipe(options);
    const cases: [unknown, ArgumentMetadata][] = [
      ...PLAN_INPUTS.map((v): [unknown, ArgumentMetadata] => [v, { type: 'body', metatype: Plan }]),
      [{ tags: ['a', 'b'] }, { type: 'body', metatype: Tags }],
      [{ tags: ['a', 2] }, { type: 'body', metatype: Tags }],
      [{ name: ' ab ' }, { type: 'body', metatype: Trimmed }],
      [
        { name: 'ab', count: 2 },
        { type: 'body', metatype: Trimmed },
      ],
      [{ name: 'abcd ' }, { type: 'body', metatype: Trimmed }],
      [{ name: 'x' }, { type: 'body', metatype: Exposed }],
      [{}, { type: 'body', metatype: Exposed }],
      [{}, { type: 'query', metatype: Empty }],
      [{ tenantId: null }, { type: 'query', metatype: Empty }],
      [{ constructor: 'x' }, { type: 'query', metatype: Empty }],
      [
        Object.assign(Object.create(null) as object, { bytes: 2, priority: 'low' }),
        { type: 'body', metatype: Plan },
      ],
      [
        { bytes: 1, priority: 'normal' },
        { type: 'custom', metatype: Plan },
      ],
      [
        { bytes: 1, priority: 'normal' },
        { type: 'body', metatype: Object },
      ],
      [{ tenantId: 'x' }, { type: 'query', metatype: Empty }],
      [{ other: '1' }, { type: 'query', metatype: Empty }],
    ];
    for (const [value, metadata] of cases) {
      // Twice: the first call builds the class's check, the second uses it.
      for (let round = 0; round < 2; round += 1)
        expect(await outcome(fast, value, metadata)).toEqual(await outcome(plain, value, metadata));
    }
  });

  it('passes a valid object without calling class-validator, and sends anything else to it', async () => {
    const pipe = new FastValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
    const slow = jest.spyOn(ValidationPipe.prototype as unknown as { validate(): unknown }, 'validate');
    const metadata: ArgumentMetadata = { type: 'body', metatype: Plan };
    await pipe.transform({ bytes: 1, priority: 'normal' }, metadata);
    await pipe.transform({}, { type: 'query', metatype: Empty });
    expect(slow).not.toHaveBeenCalled();
    await expect(pipe.transform({ bytes: -1, priority: 'normal' }, metadata)).rejects.toThrow();
    await pipe.transform({ bytes: 1, priority: 'normal', inner: { name: 'abc' } }, metadata);
    expect(slow).toHaveBeenCalledTimes(2);
    slow.mockRestore();
  });

  it('copies plain values into the class itself only where class-transformer would do just that', async () => {
    const pipe = new FastValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
    const nest = jest.spyOn(ValidationPipe.prototype, 'transform');
    const plan = await pipe.transform({ bytes: 1, priority: 'normal' }, { type: 'body', metatype: Plan });
    expect(plan).toBeInstanceOf(Plan);
    expect(nest).not.toHaveBeenCalled();
    await pipe.transform({ name: ' ab ' }, { type: 'body', metatype: Trimmed });
    await pipe.transform(
      { bytes: 1, priority: 'normal', inner: { name: 'abc' } },
      { type: 'body', metatype: Plan },
    );
    expect(nest).toHaveBeenCalledTimes(2);
    nest.mockRestore();
  });
});
