import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { installGuard } from './auth/guard';
import type { Deps } from './context';
import { AppError, frameworkErrorHandler, installErrorHandler } from './errors';
import { installIdempotency } from './idempotency';
import { applyRateLimitClass, rateLimitPluginOptions, rateLimitSettings, type AppRateLimitOptions } from './rate-limits';
import { errorBody } from './errors.schemas';
import { findUnstorableText } from './schemas';
import { installSecurityHeaders } from './security-headers';
import { createMetrics, installRequestMetrics, metricsRoutes, type Metrics } from './metrics';
import { analysisRoutes } from './modules/analysis/analysis.routes';
import { analysisService } from './modules/analysis/analysis.service';
import { auditRoutes } from './modules/audit/audit.routes';
import { auditService } from './modules/audit/audit.service';
import { authRoutes } from './modules/auth/auth.routes';
import { authService } from './modules/auth/auth.service';
import { benchmarkRoutes } from './modules/benchmarks/benchmarks.routes';
import { benchmarkService } from './modules/benchmarks/benchmarks.service';
import { evaluationRoutes } from './modules/evaluations/evaluations.routes';
import { competitionRoutes } from './modules/competitions/competitions.routes';
import { competitionService } from './modules/competitions/competitions.service';
import { pieceRateRoutes } from './modules/piece-rates/piece-rates.routes';
import { pieceRateService } from './modules/piece-rates/piece-rates.service';
import { ideaRoutes } from './modules/ideas/ideas.routes';
import { ideaService } from './modules/ideas/ideas.service';
import { idleAssetRoutes } from './modules/idle-assets/idle-assets.routes';
import { idleAssetService } from './modules/idle-assets/idle-assets.service';
import { evaluationService } from './modules/evaluations/evaluations.service';
import { importRoutes } from './modules/imports/imports.routes';
import { scoringRoutes } from './modules/scoring/scoring.routes';
import { importService } from './modules/imports/imports.service';
import { indicatorRoutes } from './modules/indicators/indicators.routes';
import { indicatorService } from './modules/indicators/indicators.service';
import { measurementRoutes } from './modules/measurements/measurements.routes';
import { measurementService } from './modules/measurements/measurements.service';
import { peopleRoutes } from './modules/people/people.routes';
import { scorecardRoutes } from './modules/scorecard/scorecard.routes';
import { scorecardService } from './modules/scorecard/scorecard.service';
import { peopleService } from './modules/people/people.service';
import { roleRoutes } from './modules/roles/roles.routes';
import { roleService } from './modules/roles/roles.service';
import { systemRoutes } from './modules/system/system.routes';
import { unitRoutes } from './modules/units/units.routes';
import { unitService } from './modules/units/units.service';
import { userRoutes } from './modules/users/users.routes';
import { userService } from './modules/users/users.service';
import { controlChartRoutes } from './modules/warnings/control-chart.routes';
import { noticeRoutes } from './modules/notices/notices.routes';
import { noticeService } from './modules/notices/notices.service';
import { notificationRoutes } from './modules/notifications/notifications.routes';
import { notificationService } from './modules/notifications/notifications.service';
import { warningRoutes } from './modules/warnings/warnings.routes';
import { warningService } from './modules/warnings/warnings.service';
import { problemRoutes } from './modules/problems/problems.routes';
import { problemService } from './modules/problems/problems.service';
import { attachmentRoutes } from './modules/attachments/attachments.routes';
import { attachmentService } from './modules/attachments/attachments.service';
import { supervisionRoutes } from './modules/supervision/supervision.routes';
import { supervisionService } from './modules/supervision/supervision.service';
import { energyRoutes } from './modules/energy/energy.routes';
import { meterService } from './modules/energy/meters.service';
import { readingService } from './modules/energy/readings.service';
import { energyQueue } from './modules/energy/recompute-queue';
import { consumptionService } from './modules/energy/consumption.service';
import { feedService } from './modules/energy/feeds.service';
import { energyOverviewRoutes } from './modules/energy/overview.routes';
import { overviewService } from './modules/energy/overview.service';
import { anomalyRoutes } from './modules/energy/anomalies.routes';
import { anomalyService } from './modules/energy/anomalies.service';
import { visitRoutes } from './modules/visitors/visitors.routes';
import { visitService } from './modules/visitors/visitors.service';
import { blockListRoutes } from './modules/block-list/block-list.routes';
import { blockListService } from './modules/block-list/block-list.service';
import { vehicleRoutes } from './modules/vehicles/vehicles.routes';
import { vehicleService } from './modules/vehicles/vehicles.service';
import { dutyRoutes } from './modules/duty/duty.routes';
import { dutyService } from './modules/duty/duty.service';
import { accessLiveRoutes } from './modules/access-live/access-live.routes';
import { accessLiveService } from './modules/access-live/access-live.service';
import { passRoutes } from './modules/passes/passes.routes';
import { passesService } from './modules/passes/passes.service';
import { deviceRoutes } from './modules/gate/devices.routes';
import { deviceService } from './modules/gate/devices.service';
import { gateRoutes } from './modules/gate/gate.routes';
import { gateService } from './modules/gate/gate.service';
import { accessSettingsRoutes, checkpointRoutes, siteRoutes } from './modules/sites/sites.routes';
import { siteService } from './modules/sites/sites.service';
import { checkpointService } from './modules/sites/checkpoints.service';
import { accessSettingsService } from './modules/sites/access-settings.service';
import { declarationRoutes } from './modules/health-declarations/declarations.routes';
import { declarationService } from './modules/health-declarations/declarations.service';
import { quarantineRoutes } from './modules/health-quarantines/quarantines.routes';
import { quarantineService } from './modules/health-quarantines/quarantines.service';
import { transferRoutes } from './modules/health-quarantines/transfers.routes';
import { transferService } from './modules/health-quarantines/transfers.service';
import { incidentRoutes } from './modules/health-incidents/incidents.routes';
import { incidentService } from './modules/health-incidents/incidents.service';
import { statusRoutes } from './modules/health-status/status.routes';
import { statusService } from './modules/health-status/status.service';
import { contestService } from './modules/health-status/contests.service';
import { suppliesRoutes } from './modules/health-supplies/supplies.routes';
import { suppliesService } from './modules/health-supplies/supplies.service';
import { supplyPointRoutes } from './modules/health-supplies/supply-points.routes';
import { supplyPointService } from './modules/health-supplies/supply-points.service';
import { donationRoutes } from './modules/health-supplies/donations.routes';
import { donationService } from './modules/health-supplies/donations.service';
import { volunteerRoutes } from './modules/health-supplies/volunteers.routes';
import { volunteerService } from './modules/health-supplies/volunteers.service';
import { travelRoutes } from './modules/health-travel/travel.routes';
import { travelService } from './modules/health-travel/travel.service';
import { riskAreaRoutes } from './modules/health-travel/risk-areas.routes';
import { riskAreaService } from './modules/health-travel/risk-areas.service';
import { screeningRoutes } from './modules/health-travel/screenings.routes';
import { screeningService } from './modules/health-travel/screenings.service';
import { caseExport } from './modules/health-cases/cases.export';
import { caseRoutes } from './modules/health-cases/cases.routes';
import { caseService } from './modules/health-cases/cases.service';
import { exposureRoutes } from './modules/health-cases/exposures.routes';
import { exposureService } from './modules/health-cases/exposures.service';
import { briefingRoutes } from './modules/health-briefing/briefing.routes';
import { briefingService, storeIncidentBriefings } from './modules/health-briefing/briefing.service';
import { projectRoot, version } from './version';

export interface AppOptions {
  /** Folder of the built web app; served with an SPA fallback when it exists. */
  webDir?: string | null;
  /** Behind a reverse proxy: trust X-Forwarded-* (serve passes config.trustProxy). */
  trustProxy?: boolean;
  /** Rate-limit classes: per-class limits and the clock of their windows (tests set small ones). */
  rateLimits?: AppRateLimitOptions;
  /** Where requests, jobs, imports and gate decisions are counted; a fresh registry when absent (app.metrics). */
  metrics?: Metrics;
}

/** Node's HTTP timeouts: the whole request, its headers (slowloris), an idle kept-alive connection. */
export const httpTimeouts = { requestMs: 120_000, headersMs: 30_000, keepAliveMs: 72_000 } as const;

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A request's id: a load balancer's x-request-id when it is 1–64 of [A-Za-z0-9._-] (so one id
 * follows the request through both logs), else a fresh UUID (Fastify's default is a counter that
 * restarts with the process and repeats across servers).
 */
export function requestIdOf(raw: { headers: IncomingHttpHeaders }): string {
  const given = raw.headers['x-request-id'];
  // Our own: 16 base64url characters, never a long run of digits a log scan would take for a phone number.
  return typeof given === 'string' && requestIdPattern.test(given) ? given : newRequestId();
}

// Random bytes fetched 256 ids at a time: one randomBytes call per request cost about 2 % of a
// gate scan's CPU time.
let idBytes = Buffer.alloc(0);
let idOffset = 0;
function newRequestId(): string {
  if (idOffset + 12 > idBytes.length) {
    idBytes = randomBytes(12 * 256);
    idOffset = 0;
  }
  idOffset += 12;
  return idBytes.toString('base64url', idOffset - 12, idOffset);
}

/** Builds the HTTP app: every module is listed here and given its dependencies. */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    requestTimeout: httpTimeouts.requestMs,
    keepAliveTimeout: httpTimeouts.keepAliveMs,
    frameworkErrors: frameworkErrorHandler,
    genReqId: requestIdOf,
  });
  app.server.headersTimeout = httpTimeouts.headersMs;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  // The id goes back on every answer, errors included: what a user quotes to support, found in the logs' reqId.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const metrics = options.metrics ?? createMetrics();
  app.decorate('metrics', metrics);
  if (deps.database.poolStats) metrics.watchPool(deps.database.poolStats);
  installRequestMetrics(app, metrics);
  // Every API operation documents the error shape beside its success responses.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || !route.schema || route.schema.hide) return;
    const errors = Object.fromEntries([400, 401, 403, 404, 409, 413, 422, 429].map((s) => [s, errorBody]));
    route.schema = { ...route.schema, response: { ...errors, ...(route.schema.response as object | undefined) } };
  });
  // Text PostgreSQL cannot store (NUL, broken surrogates) is refused before validation, everywhere.
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [['body', request.body], ['querystring', request.query], ['params', request.params]] as const) {
      const path = findUnstorableText(value);
      if (path) throw new AppError(400, 'VALIDATION_FAILED', 'Text may not contain NUL characters or broken Unicode', [{ path: `${part}${path}`, message: 'unstorable character' }]);
    }
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Pacesetter API', version, description: 'All-factor benchmarking and site management. Errors: `{ "error": { "code", "message", "details" } }`.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token from `pacesetter token create`' },
          session: { type: 'apiKey', in: 'cookie', name: 'ps_session', description: 'The session cookie from POST /api/auth/login (named `__Host-ps_session` when served over HTTPS); changes need the x-csrf-token header. Accounts with a second factor send `code` with the login' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // The docs pages get the app's policy below (which takes swagger-ui's script and style hashes)
  // rather than swagger-ui's own, which allows framing by the same origin and https: styles.
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());

  const swaggerCSP = (app as unknown as { swaggerCSP: { script: string[]; style: string[] } }).swaggerCSP;
  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...swaggerCSP.script],
        styleSrc: ["'self'", "'unsafe-inline'", ...swaggerCSP.style],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    // Frame denial twice: CSP frame-ancestors for today's browsers, X-Frame-Options for older ones.
    xFrameOptions: { action: 'deny' },
    // HSTS only where the request came over HTTPS (below): over plain HTTP it means nothing, and a
    // development or intranet server answering on http:// must not pin its name to HTTPS.
    strictTransportSecurity: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
  // Each route gets its class's limit as it is registered (rate-limits.ts decides the class).
  const limits = rateLimitSettings(deps.config, options.rateLimits?.limits);
  app.addHook('onRoute', (route) => applyRateLimitClass(route, limits));
  const rateLimitStore = deps.config.rateLimitStore ?? (deps.database.kind === 'postgres' ? 'database' : 'memory');
  await app.register(rateLimit, rateLimitPluginOptions(options.rateLimits, { store: rateLimitStore, database: deps.database }));
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/docs')) reply.header('cache-control', 'no-store');
  });

  const auth = authService(deps);
  const devices = deviceService(deps);
  installGuard(app, auth, devices);
  installIdempotency(app, deps);

  systemRoutes(app, { database: deps.database.kind, version }, deps.database);
  metricsRoutes(app, metrics, deps.config.metricsToken);
  authRoutes(app, auth, deps.config);
  unitRoutes(app, unitService(deps));
  userRoutes(app, userService(deps));
  roleRoutes(app, roleService(deps));
  peopleRoutes(app, peopleService(deps));
  auditRoutes(app, auditService(deps), () => deps.clock.now());
  indicatorRoutes(app, indicatorService(deps));
  const warnings = warningService(deps);
  measurementRoutes(app, measurementService(deps, { afterApproval: () => warnings.scanAfterCommit('measurement.approve') }));
  const scorecards = scorecardService(deps);
  scorecardRoutes(app, scorecards);
  // The group view and the monthly report compute on the read replica when there is one (decision
  // 0011); scope checks and the export's audit row stay on the primary.
  const onReplica: Deps = { ...deps, database: { ...deps.database, db: deps.database.reports } };
  analysisRoutes(app, analysisService(deps, scorecardService(onReplica)));
  benchmarkRoutes(app, benchmarkService(deps));
  importRoutes(app, importService(deps, { afterMeasurementsImported: () => warnings.scanAfterCommit('import.measurements') }), metrics);
  warningRoutes(app, warnings);
  problemRoutes(app, problemService(deps));
  attachmentRoutes(app, attachmentService(deps));
  controlChartRoutes(app, deps);
  scoringRoutes(app);
  evaluationRoutes(app, evaluationService(deps));
  competitionRoutes(app, competitionService(deps));
  pieceRateRoutes(app, pieceRateService(deps));
  ideaRoutes(app, ideaService(deps));
  idleAssetRoutes(app, idleAssetService(deps));
  supervisionRoutes(app, supervisionService(deps));
  noticeRoutes(app, noticeService(deps));
  notificationRoutes(app, notificationService(deps));
  const recompute = energyQueue(deps, { afterRecompute: () => warnings.scanAfterCommit('energy.recompute') });
  app.addHook('onClose', () => recompute.close());
  app.decorate('energyQueue', recompute);
  energyRoutes(app, meterService(deps), readingService(deps, { afterQueued: () => recompute.kick() }), {
    consumption: consumptionService(deps, recompute),
    feeds: feedService(deps),
  });
  energyOverviewRoutes(app, overviewService(deps, recompute));
  anomalyRoutes(app, anomalyService(deps));
  visitRoutes(app, visitService(deps));
  blockListRoutes(app, blockListService(deps));
  vehicleRoutes(app, vehicleService(deps));
  dutyRoutes(app, dutyService(deps));
  accessLiveRoutes(app, accessLiveService(deps));
  passRoutes(app, passesService(deps));
  deviceRoutes(app, devices);
  const gate = gateService(deps);
  gateRoutes(app, gate, metrics);
  // The gate's caches follow changes made on any server (cache-bus.ts).
  const following = await Promise.all([devices.followInvalidations(), gate.followInvalidations()]);
  app.addHook('onClose', async () => {
    for (const stop of following) await stop();
  });
  siteRoutes(app, siteService(deps));
  checkpointRoutes(app, checkpointService(deps));
  accessSettingsRoutes(app, accessSettingsService(deps));
  // health: incidents, declarations, status rules (B)
  // Every day's briefing is stored before an incident's personal data are purged (the aggregates survive).
  incidentRoutes(app, incidentService(deps, { beforePurge: async (trx, incident) => void (await storeIncidentBriefings(trx, deps, incident)) }));
  statusRoutes(app, statusService(deps), contestService(deps));
  declarationRoutes(app, declarationService(deps));
  // health: travel, risk areas, screening, supplies, donations, volunteers (D)
  travelRoutes(app, travelService(deps));
  riskAreaRoutes(app, riskAreaService(deps));
  screeningRoutes(app, screeningService(deps));
  suppliesRoutes(app, suppliesService(deps));
  supplyPointRoutes(app, supplyPointService(deps));
  donationRoutes(app, donationService(deps));
  volunteerRoutes(app, volunteerService(deps));
  // health: cases, exposures (C1)
  caseRoutes(app, caseService(deps), caseExport(deps));
  exposureRoutes(app, exposureService(deps));
  // health: quarantines, transfers (C2)
  quarantineRoutes(app, quarantineService(deps));
  transferRoutes(app, transferService(deps));
  // health: daily briefing (E)
  briefingRoutes(app, briefingService(deps));

  const webDir = options.webDir === undefined ? path.join(projectRoot, 'dist', 'web') : options.webDir;
  const hasWeb = webDir !== null && existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    if (hasWeb && request.method === 'GET' && !url.startsWith('/api/') && !path.extname(url)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${url}` } });
  });
  return app;
}
