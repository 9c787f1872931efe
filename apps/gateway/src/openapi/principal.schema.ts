import { ApiProperty } from '@nestjs/swagger';
import { EditionFeaturesSchema } from './tenant.schema.js';

/** principals.service.ts principalView(). */
export class PrincipalSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: a platform principal' })
  tenantId!: string | null;
  @ApiProperty({ enum: ['user', 'service'] }) kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String], example: ['tenant-member'] }) roles!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt!: string | null;
}

export class PrincipalListSchema {
  @ApiProperty({ type: () => [PrincipalSchema] }) principals!: PrincipalSchema[];
}

/** principals.service.ts keyView(): never the secret. */
export class ApiKeySchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) principalId!: string;
  @ApiProperty({ description: 'The public part of the key (vf_<prefix>_...)' }) prefix!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
}

/** A principal with its keys (prefixes only). */
export class PrincipalWithKeysSchema extends PrincipalSchema {
  @ApiProperty({ type: () => [ApiKeySchema] }) keys!: ApiKeySchema[];
}

/** A created key: the only answer that carries the secret. */
export class CreatedApiKeySchema extends ApiKeySchema {
  @ApiProperty({
    example: 'vf_ab12cd34_...',
    description:
      'The full API key, shown in this answer only (an idempotent replay shows it scrubbed); store it now',
  })
  key!: string;
}

/** grants.service.ts grantView(). */
export class GrantSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) principalId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tenantId!: string | null;
  @ApiProperty({ type: [String], description: 'Kernel name patterns this grant covers' }) kernels!: string[];
  @ApiProperty({ type: [String], description: 'Device class expressions' }) deviceClasses!: string[];
  @ApiProperty() cpuFallback!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) revokedBy!: string | null;
}

export class GrantListSchema {
  @ApiProperty({ type: () => [GrantSchema] }) grants!: GrantSchema[];
}

class MeKeySchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() prefix!: string;
}

class MeTenantSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() edition!: string;
  @ApiProperty() suspended!: boolean;
  @ApiProperty({ type: () => EditionFeaturesSchema }) features!: EditionFeaturesSchema;
}

/** GET /v1/me (me.controller.ts). */
export class MeSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['user', 'service'] }) kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tenantId!: string | null;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: () => MeKeySchema }) key!: MeKeySchema;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: "The principal's GPU grants, as in GrantSchema",
  })
  grants!: Record<string, unknown>[];
  @ApiProperty({
    type: () => MeTenantSchema,
    required: false,
    description: 'Absent for a platform principal',
  })
  tenant?: MeTenantSchema;
}
