import { api, dataOf } from '../api/client.ts';
import { dateTime, ErrorNote, PageTitle, useAsync } from '../ui.tsx';

/** Every account (user-service GET /users, admin only). */
export function AdminUsers() {
  const users = useAsync(async () => dataOf(await api.user.GET('/users', { params: { query: { limit: 200 } } })).items, []);
  return (
    <section>
      <PageTitle title="Users">Users</PageTitle>
      <ErrorNote error={users.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.role}</td>
                <td>{dateTime(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
