import type { Logger } from '@shop/platform/log';

/** One step of a saga: `invoke` returns exactly what `compensate` needs to undo it. */
export interface Step<In, Out> {
  name: string;
  invoke(input: In): Promise<Out>;
  compensate?(output: Out, error: unknown): Promise<void>;
}

/**
 * Runs steps one by one, remembering how to undo each. When a step throws, the steps done so
 * far are compensated newest first and the error goes on to the caller. A compensation that
 * fails is logged and left to the sweeper, which ends every interrupted order.
 */
export function createSaga(logger: Pick<Logger, 'warn'>) {
  const undo: { name: string; run: (error: unknown) => Promise<void> }[] = [];
  return {
    async run<In, Out>(step: Step<In, Out>, input: In): Promise<Out> {
      let output: Out;
      try {
        output = await step.invoke(input);
      } catch (error) {
        for (const done of undo.reverse()) {
          await done.run(error).catch((err) => logger.warn({ err, step: done.name }, 'compensation failed; the sweeper will finish it'));
        }
        throw error;
      }
      const { compensate } = step;
      if (compensate) undo.push({ name: step.name, run: (error) => compensate(output, error) });
      return output;
    },
  };
}
