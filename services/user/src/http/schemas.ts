import { Email, Id, Page, PageQuery, Timestamp } from '@shop/contracts';
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Password = Type.String({ minLength: 8, maxLength: 128 });
const Phone = Type.String({ pattern: '^\\+?[0-9 ()-]{6,20}$' });
const Role = Type.Union([Type.Literal('customer'), Type.Literal('admin')]);

export const User = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  phone: Type.Optional(Type.String()),
  role: Role,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const RegisterBody = Type.Object({ name: Name, email: Email, password: Password, phone: Type.Optional(Phone) }, strict);
export const LoginBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 128 }) }, strict);
export const LoginResult = Type.Object({ token: Type.String(), user: User });
export const UpdateBody = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    password: Type.Optional(Password),
    phone: Type.Optional(Phone),
    role: Type.Optional(Role),
    currentPassword: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'Your current password: needed to change your own email or password' }),
    ),
  },
  { ...strict, minProperties: 1 },
);
export const ListQuery = Type.Object({ ...PageQuery, cursor: Type.Optional(Id) }, strict);
export const UserPage = Page(User);
