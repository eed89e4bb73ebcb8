import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceNameOf, telemetrySettings } from './env.ts';

test('no exporter unless one is named: unset and none record nothing', () => {
  assert.deepEqual(telemetrySettings({}).exporters, []);
  assert.deepEqual(telemetrySettings({ OTEL_TRACES_EXPORTER: 'none' }).exporters, []);
  assert.deepEqual(telemetrySettings({ OTEL_TRACES_EXPORTER: 'Zipkin, otlp,zipkin' }).exporters, ['zipkin', 'otlp']);
});

test('the sampler follows OTEL_TRACES_SAMPLER and its ratio, parent-based always-on by default', () => {
  assert.deepEqual(telemetrySettings({}).sampler, { kind: 'always_on', parentBased: true, ratio: 1 });
  assert.deepEqual(telemetrySettings({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).sampler, {
    kind: 'traceidratio',
    parentBased: true,
    ratio: 0.1,
  });
  assert.deepEqual(telemetrySettings({ OTEL_TRACES_SAMPLER: 'always_off' }).sampler, { kind: 'always_off', parentBased: false, ratio: 1 });
  // An unknown name or a ratio out of range falls back to the defaults, as the specification asks.
  assert.deepEqual(telemetrySettings({ OTEL_TRACES_SAMPLER: 'sometimes' }).sampler, { kind: 'always_on', parentBased: true, ratio: 1 });
  assert.equal(telemetrySettings({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' }).sampler.ratio, 1);
});

test('batch settings from OTEL_BSP_*, ignoring what is not a number', () => {
  assert.deepEqual(telemetrySettings({ OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BSP_MAX_QUEUE_SIZE: 'lots' }).batch, {
    scheduledDelayMillis: 200,
    maxExportBatchSize: undefined,
    maxQueueSize: undefined,
    exportTimeoutMillis: undefined,
  });
});

test('the service name comes from the script run, unless OTEL_SERVICE_NAME gives one', () => {
  assert.equal(serviceNameOf('/app/services/order/src/server.ts'), 'order-service');
  assert.equal(serviceNameOf('services/user/src/server.ts'), 'user-service');
  assert.equal(telemetrySettings({}, '/app/services/cart/src/server.ts').derivedServiceName, 'cart-service');
  assert.equal(telemetrySettings({ OTEL_SERVICE_NAME: 'mine' }, '/app/services/cart/src/server.ts').derivedServiceName, undefined);
});
