import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * The tracker's REST API (rigs, streams, ingest, replay, history) as an OpenAPI document
 * built from its routes, at /docs (UI) and /docs-json. The socket.io namespace `/tracks` is
 * described in the README; OpenAPI has no words for it.
 */
export function setupTrackerOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Voxelfleet tracker')
      .setDescription('Camera rigs, tracking streams, frame ingest, replays and track history')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key: vf_<prefix>_<secret>' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
