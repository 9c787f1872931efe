import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { FastValidationPipe } from './fast-validation.pipe.js';
import { findTextProblem, MAX_INPUT_DEPTH, textProblem } from './text-rules.js';

class Named {
  @IsString()
  @MaxLength(64)
  name!: string;

  @IsOptional()
  @IsString()
  reason?: string;
}

const pipe = new FastValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

async function refusal(value: unknown, type: 'body' | 'query' | 'param', data?: string): Promise<string[]> {
  try {
    await pipe.transform(value, { type, metatype: type === 'param' ? String : Named, data });
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('not refused');
}

describe('text rules', () => {
  it('accepts ordinary text, control characters Postgres keeps, and paired surrogates', () => {
    expect(textProblem('plain')).toBeNull();
    expect(textProblem('tab\tand\u0001bell\u0007')).toBeNull();
    expect(textProblem('rig 🎥 北')).toBeNull();
  });

  it('refuses NUL and unpaired surrogates at either end of a pair', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('a\uD800')).toMatch(/unpaired/);
    expect(textProblem('\uDC00a')).toMatch(/unpaired/);
    expect(textProblem('\uD83C\uD83C')).toMatch(/unpaired/);
  });

  it('names the nested field, a bad key, and a depth bomb', () => {
    expect(findTextProblem({ inputs: { list: ['ok', 'bad\u0000'] } })).toEqual({
      path: 'inputs.list[1]',
      message: expect.stringMatching(/NUL/),
    });
    expect(findTextProblem({ inputs: { ['k\uD800']: 1 } })?.path).toBe('inputs.k\\ud800');
    let bomb: unknown = 1;
    for (let i = 0; i < 200; i += 1) bomb = { a: bomb };
    expect(findTextProblem({ inputs: bomb })?.message).toMatch(`deeper than ${MAX_INPUT_DEPTH}`);
    let deepArray: unknown = [];
    for (let i = 0; i < 100_000; i += 1) deepArray = [deepArray];
    expect(findTextProblem(deepArray)).not.toBeNull();
  });

  it('is applied by the validation pipe to every body, query and route parameter, naming the field', async () => {
    expect(await refusal({ name: 'rig\u0000' }, 'body')).toEqual([
      'name must not contain NUL (U+0000) characters',
    ]);
    expect(await refusal({ name: 'ok', reason: '\uDFFF' }, 'body')).toEqual([
      'reason must not contain unpaired UTF-16 surrogates',
    ]);
    expect(await refusal({ name: 'x\uD800' }, 'query')).toEqual([
      'name must not contain unpaired UTF-16 surrogates',
    ]);
    expect(await refusal('id\u0000', 'param', 'id')).toEqual(['id must not contain NUL (U+0000) characters']);
    await expect(pipe.transform({ name: 'fine 🎥' }, { type: 'body', metatype: Named })).resolves.toEqual({
      name: 'fine 🎥',
    });
  });
});
