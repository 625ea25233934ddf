/**
 * The one-time printout of accounts created at first start. The passwords exist in clear only
 * here: they are hashed before storage and never printed again.
 */
import type { Role } from '@shared/domain/schemas';

export interface CreatedAccount {
  username: string;
  displayName: string;
  role: Role;
  /** null when the operator chose it (GUANMO_ADMIN_PASSWORD): no point echoing it into logs */
  password: string | null;
}

const roleLabels: Record<Role, string> = {
  admin: '管理员 admin',
  secretariat: '秘书处 secretariat',
  scorer: '评委 scorer',
  observer: '观摩人员 observer',
};

const headers = ['用户名 User', '姓名 Name', '角色 Role', '密码 Password'] as const;

export function formatCredentialsTable(accounts: readonly CreatedAccount[]): string {
  const rows = accounts.map((a) => [a.username, a.displayName, roleLabels[a.role], a.password ?? '（GUANMO_ADMIN_PASSWORD）']);
  const widths = headers.map((h, col) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[col]!))));
  const line = (left: string, mid: string, right: string) => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const row = (cells: readonly string[]) => '│' + cells.map((c, i) => ` ${padEnd(c, widths[i]!)} `).join('│') + '│';
  return [
    '',
    '观摩 Guanmo: 已创建以下账户。密码只显示这一次，请立即妥善保存。',
    'Guanmo: these accounts were created. The passwords are shown only this once: save them now.',
    line('┌', '┬', '┐'),
    row(headers),
    line('├', '┼', '┤'),
    ...rows.map(row),
    line('└', '┴', '┘'),
    '',
  ].join('\n');
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Terminal columns: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
