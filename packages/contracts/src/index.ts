export * from './common.ts';
export * from './events.ts';
export * from './money.ts';
export * from './responses.ts';
