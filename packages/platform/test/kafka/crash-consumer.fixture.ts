// Child process for commit.test.ts: consumes, reports each handled event on stdout,
// and dies by SIGKILL (no cleanup, no commit) when it meets an event with `crash: true`.
import { createEventConsumer } from '../../src/kafka/consumer.ts';
import { createEventProducer } from '../../src/kafka/producer.ts';
import { fastGroup, memoryLogger, thingHappened } from './helpers.ts';

const { brokers, topic, groupId } = JSON.parse(process.env.CRASH_CONSUMER ?? '{}') as {
  brokers: string[];
  topic: string;
  groupId: string;
};
const { logger } = memoryLogger();
const producer = createEventProducer({ brokers, clientId: 'crash-producer', logger });
const consumer = createEventConsumer({
  brokers,
  clientId: 'crash-consumer',
  groupId,
  logger,
  producer,
  ...fastGroup,
  handlers: {
    [topic]: thingHappened(async (event) => {
      if (event.data.crash) process.kill(process.pid, 'SIGKILL');
      process.stdout.write(`handled ${event.id}\n`);
    }),
  },
});
await consumer.start();
