/**
 * Real peers for the adapters' unit tests: a throwaway Dovecot IMAP server
 * (Debian package dovecot-imapd; the tests skip, saying so, where it is not
 * installed) and free local ports. Test support only: nothing in the suite uses it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function idOf(user: string): { uid: number; gid: number } | undefined {
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim()));
    return uid !== undefined && gid !== undefined ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

export interface DovecotPeer {
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/** Starts Dovecot (IMAP only, plaintext on 127.0.0.1, one static user, maildir in a temp folder) and waits for its port. */
export async function startDovecot(): Promise<DovecotPeer> {
  if (!DOVECOT) throw new Error('dovecot is not installed (apt-get install dovecot-imapd)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smoke-dovecot-'));
  const port = await freePort();
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const root = process.getuid?.() === 0;
  // As root, mail is owned by the package's own unprivileged user (Dovecot refuses uid 0 for mail).
  const owner = root ? idOf('dovecot') : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  if (!owner) throw new Error('dovecot user missing: is dovecot-imapd installed?');
  const me = os.userInfo().username;
  for (const sub of ['mail', 'home']) {
    mkdirSync(path.join(dir, sub));
    if (root) chownSync(path.join(dir, sub), owner.uid, owner.gid);
  }
  execFileSync('chmod', ['755', dir]);
  writeFileSync(
    path.join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = ${owner.uid}
first_valid_gid = ${owner.gid}
${root ? '' : `default_login_user = ${me}\ndefault_internal_user = ${me}\n`}passdb {
  driver = static
  args = password=${password}
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8').slice(-500) : '';
      await stop();
      throw new Error(`dovecot did not listen on 127.0.0.1:${port}: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, user: 'smoke', password, stop };
}
