import { useState } from 'react';
import { api, dataOf } from '../api/client.ts';
import { dateTime, ErrorNote, PageTitle, useAsync } from '../ui.tsx';

interface Letter {
  topic: string;
  partition: number;
  offset: number;
}

/** The value as it was, indented when it is JSON. */
function readable(value: string | null): string {
  if (value === null) return '(no value)';
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

const keyOf = (l: Letter) => `${l.topic}/${l.partition}/${l.offset}`;
const path = (l: Letter) => ({ path: { topic: l.topic, partition: l.partition, offset: l.offset } });

/** Dead-letter queues (gateway): counts per topic, the messages, one inspected, and replaying one. */
export function DeadLetters() {
  const [topic, setTopic] = useState('');
  const [open, setOpen] = useState<Letter | null>(null);
  const [note, setNote] = useState('');
  const list = useAsync(
    async () => dataOf(await api.gateway.GET('/api/gateway/dead-letters', { params: { query: { limit: 50, ...(topic ? { topic } : {}) } } })),
    [topic],
  );
  const detail = useAsync(
    async () => (open ? dataOf(await api.gateway.GET('/api/gateway/dead-letters/{topic}/{partition}/{offset}', { params: path(open) })) : null),
    [open && keyOf(open)],
  );
  const replay = async (letter: Letter) => {
    setNote('Replaying…');
    try {
      dataOf(await api.gateway.POST('/api/gateway/dead-letters/{topic}/{partition}/{offset}/replay', { params: path(letter) }));
      setNote(`Replayed ${keyOf(letter)} to its original topic.`);
      list.reload();
      detail.reload();
    } catch (error) {
      setNote(error instanceof Error ? error.message : 'The replay failed.');
    }
  };
  return (
    <section>
      <PageTitle title="Dead letters">Dead letters</PageTitle>
      <ErrorNote error={list.error} />
      <div className="field narrow">
        <label htmlFor="dlq-topic">Queue</label>
        <select id="dlq-topic" value={topic} onChange={(e) => setTopic(e.target.value)}>
          <option value="">All queues</option>
          {(list.data?.topics ?? []).map((t) => (
            <option key={t.topic} value={t.topic}>
              {t.topic} ({t.count})
            </option>
          ))}
        </select>
      </div>
      <p role="status" className="note">
        {note}
      </p>
      {list.data?.items.length === 0 ? <p>No dead letters{topic ? ` in ${topic}` : ''}. Every event was handled.</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Message</th>
                <th scope="col">Event</th>
                <th scope="col">Reason</th>
                <th scope="col">When</th>
                <th scope="col">Replay</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((letter) => (
                <tr key={keyOf(letter)}>
                  <td>
                    <button type="button" className="link-button" onClick={() => setOpen(letter)}>
                      {keyOf(letter)}
                    </button>
                  </td>
                  <td>{letter.eventType ?? '—'}</td>
                  <td>{letter.reason ?? '—'}</td>
                  <td>{dateTime(letter.time)}</td>
                  <td>{letter.replay ? `${letter.replay.status} ${dateTime(letter.replay.at)}` : 'not replayed'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {open && detail.data ? (
        <section className="panel" aria-labelledby="letter-title">
          <h2 id="letter-title">Dead letter {keyOf(open)}</h2>
          <ErrorNote error={detail.error} />
          <p>Reason: {detail.data.reason ?? 'not recorded'}</p>
          <p>
            From:{' '}
            {detail.data.original
              ? `${detail.data.original.topic} partition ${detail.data.original.partition} offset ${detail.data.original.offset}`
              : 'unknown'}
            {detail.data.deadLetteredBy ? `, dead-lettered by ${detail.data.deadLetteredBy}` : ''}
          </p>
          <pre className="payload">{readable(detail.data.value)}</pre>
          <button type="button" onClick={() => replay(open)} disabled={!detail.data.replayable || detail.data.replay !== null}>
            Replay to {detail.data.original?.topic ?? 'its topic'}
          </button>
          {detail.data.replayable ? null : <p className="hint">Only an event envelope can be replayed.</p>}
        </section>
      ) : null}
    </section>
  );
}
