/**
 * The HTTP routes of the example server (Fastify), over either front: the
 * in-memory recommender or attune/redis (the same methods, as promises —
 * every call here is awaited, so both fit).
 *
 *   POST   /feedback                       one event or a batch; 204
 *   GET    /users/:user/recommendations    ?count&station&hour&weekday&device; the list with reasons
 *   GET    /users/:user/profile            what attune knows about the user, in words
 *   DELETE /users/:user                    erase the user; 204, or 404 for an unknown user
 *   GET    /healthz                        200 while the process serves
 *
 * Requests are checked against the JSON Schemas attune exports (built from
 * its runtime list of signals); attune then validates every call itself,
 * and its errors become HTTP statuses through `httpStatusOf`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import {
  AttuneError,
  feedbackEventSchema,
  httpStatusOf,
  recommendOptionsSchema,
  type ExplainedRecommendation,
  type FeedbackEvent,
  type Item,
  type Profile,
  type RecommendOptions,
} from '../../src/index.js';

/** The methods the routes call, as either front has them. */
export interface Front {
  feedback(events: FeedbackEvent | readonly FeedbackEvent[]): void | Promise<void>;
  recommend(
    user: string | undefined,
    options?: RecommendOptions,
  ): ExplainedRecommendation[] | Promise<ExplainedRecommendation[]>;
  profile(user: string): Profile | Promise<Profile>;
  forget(user: string): boolean | Promise<boolean>;
}

/** Largest batch `POST /feedback` takes. */
const MAX_BATCH = 1000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const userParams = {
  type: 'object',
  required: ['user'],
  properties: { user: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

const recommendQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    count: recommendOptionsSchema.properties.count,
    station: recommendOptionsSchema.properties.station,
    includeSeen: recommendOptionsSchema.properties.includeSeen,
    hour: { type: 'integer', minimum: 0, maximum: 23 },
    weekday: { type: 'string', enum: WEEKDAYS },
    device: { type: 'string', minLength: 1, maxLength: 40 },
  },
} as const;

const recommendationsReply = {
  type: 'object',
  properties: {
    user: { type: 'string' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          item: { type: 'string' },
          title: { type: 'string' },
          score: { type: 'number' },
          explored: { type: 'boolean' },
          propensity: { type: 'number' },
          reason: {
            type: 'object',
            properties: {
              kind: { type: 'string' },
              text: { type: 'string' },
              evidence: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    type: { type: 'string' },
                    id: { type: 'string' },
                    label: { type: 'string' },
                    weight: { type: 'number' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

export interface AppOptions {
  /** Called after every request that changed the state (to schedule a save). */
  changed?: () => void;
  /** Fastify's request log. @default false */
  logger?: boolean;
}

/** The Fastify app over `rec`, ready to `listen`. */
export function buildApp(rec: Front, items: readonly Item[], options: AppOptions = {}): FastifyInstance {
  const titles = new Map(items.map((item) => [item.id, item.title ?? item.id]));
  const changed = options.changed ?? (() => {});
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1 << 20,
    // Refuse unknown fields rather than strip them (Fastify's default), as attune itself does.
    ajv: { customOptions: { removeAdditional: false } },
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof AttuneError)
      return reply.code(httpStatusOf(error)).send({ error: error.code, message: error.message });
    const status = (error as { statusCode?: number }).statusCode;
    // Fastify's own refusals: a body that fails the schema, malformed JSON, a body too large.
    if (status !== undefined && status >= 400 && status < 500)
      return reply.code(status).send({ error: 'INVALID_REQUEST', message: (error as Error).message });
    app.log.error(error);
    return reply.code(500).send({ error: 'INTERNAL', message: 'the server failed; see its log' });
  });

  app.get('/healthz', async () => ({ ok: true }));

  app.post(
    '/feedback',
    {
      schema: {
        body: {
          oneOf: [feedbackEventSchema, { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: feedbackEventSchema }],
        },
      },
    },
    async (request, reply) => {
      await rec.feedback(request.body as FeedbackEvent | FeedbackEvent[]);
      changed();
      return reply.code(204).send();
    },
  );

  app.get(
    '/users/:user/recommendations',
    { schema: { params: userParams, querystring: recommendQuery, response: { 200: recommendationsReply } } },
    async (request) => {
      const { user } = request.params as { user: string };
      const query = request.query as {
        count?: number;
        station?: string;
        includeSeen?: boolean;
        hour?: number;
        weekday?: string;
        device?: string;
      };
      const context = Object.fromEntries(
        (['hour', 'weekday', 'device'] as const).flatMap((key) =>
          query[key] === undefined ? [] : [[key, query[key]] as const],
        ),
      );
      const list = await rec.recommend(user, {
        ...(query.count !== undefined ? { count: query.count } : {}),
        ...(query.station !== undefined ? { station: query.station } : {}),
        ...(query.includeSeen !== undefined ? { includeSeen: query.includeSeen } : {}),
        ...(Object.keys(context).length > 0 ? { context } : {}),
      });
      // A recommendation teaches nothing, but it counts the user's draws: the state changed.
      changed();
      return {
        user,
        items: list.map((r) => ({
          item: r.item,
          title: titles.get(r.item) ?? r.item,
          score: r.score,
          explored: r.explored,
          propensity: r.propensity,
          reason: r.reason,
        })),
      };
    },
  );

  app.get('/users/:user/profile', { schema: { params: userParams } }, async (request) => {
    const { user } = request.params as { user: string };
    return rec.profile(user);
  });

  app.delete('/users/:user', { schema: { params: userParams } }, async (request, reply) => {
    const { user } = request.params as { user: string };
    const known = await rec.forget(user);
    if (known) changed();
    return known
      ? reply.code(204).send()
      : reply.code(404).send({ error: 'UNKNOWN_USER', message: `no user ${JSON.stringify(user)} is known` });
  });

  return app;
}
