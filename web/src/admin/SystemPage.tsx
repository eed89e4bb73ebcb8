import { useEffect } from 'react';
import { api, dataOf } from '../api/client.ts';
import { dateTime, ErrorNote, PageTitle, useAsync } from '../ui.tsx';

const figure = (value: number | null | undefined, unit = '') => (value === null || value === undefined ? '—' : `${Math.round(value * 100) / 100}${unit}`);

/** Each service's readiness and the figures the gateway reads from its /metrics; refreshed every 10 s. */
export function SystemPage() {
  const system = useAsync(async () => dataOf(await api.gateway.GET('/api/gateway/system')), []);
  const { reload } = system;
  useEffect(() => {
    const timer = setInterval(reload, 10_000);
    return () => clearInterval(timer);
  }, [reload]);
  const s = system.data;
  return (
    <section>
      <PageTitle title="System">System</PageTitle>
      <ErrorNote error={system.error} />
      {s ? (
        <>
          <p className="muted">Checked {dateTime(s.checkedAt)} (refreshes every 10 seconds).</p>
          <h2>Orders</h2>
          <ul>
            <li>Per minute: {figure(s.orders.perMinute)}</li>
            <li>
              By outcome:{' '}
              {s.orders.byOutcome
                ? Object.entries(s.orders.byOutcome)
                    .map(([outcome, count]) => `${outcome} ${count}`)
                    .join(', ') || 'none yet'
                : '—'}
            </li>
            <li>
              Checkout, placed to final: p50 {figure(s.orders.checkoutDuration?.p50Seconds, ' s')}, p95 {figure(s.orders.checkoutDuration?.p95Seconds, ' s')}
            </li>
          </ul>
          <h2>Services</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Ready</th>
                  <th scope="col">Consumer lag</th>
                  <th scope="col">Outbox backlog</th>
                  <th scope="col">Oldest pending</th>
                  <th scope="col">Dead letters</th>
                  <th scope="col">HTTP p95</th>
                </tr>
              </thead>
              <tbody>
                {s.services.map((service) => (
                  <tr key={service.name}>
                    <th scope="row">{service.name}</th>
                    <td>
                      <span className={`badge badge-${service.ready ? 'ready' : 'down'}`}>{service.ready ? 'ready' : 'not ready'}</span>
                      {service.error ? <div className="muted">{service.error}</div> : null}
                    </td>
                    <td>{figure(service.metrics.consumerLagTotal)}</td>
                    <td>{figure(service.metrics.outboxPending)}</td>
                    <td>{figure(service.metrics.outboxOldestPendingAgeSeconds, ' s')}</td>
                    <td>{service.metrics.deadLetters ? service.metrics.deadLetters.reduce((n, d) => n + d.count, 0) : '—'}</td>
                    <td>{figure(service.metrics.httpP95Seconds === null ? null : service.metrics.httpP95Seconds * 1000, ' ms')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : system.loading ? (
        <p>Reading every service…</p>
      ) : null}
    </section>
  );
}
