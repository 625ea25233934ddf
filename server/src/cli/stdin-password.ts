/**
 * Reading a password for the admin CLI: the first line of piped standard input, or, on a
 * terminal, typed twice without echo.
 */
import { createInterface } from 'node:readline';

export async function readPasswordFromStdin(prompt: string, stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Promise<string | null> {
  if (stdin.isTTY) {
    const first = await askHidden(prompt, stdin, stderr);
    const second = await askHidden('Repeat the password: ', stdin, stderr);
    if (first !== second) {
      stderr.write('The passwords differ.\n');
      return null;
    }
    return first;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  if (chunks.length === 0) return null;
  const text = Buffer.concat(chunks).toString('utf8');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return firstLine;
}

function askHidden(prompt: string, stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stdin, output: stderr, terminal: true });
    // print the prompt, then swallow the echo of every key typed
    const output = rl as unknown as { _writeToOutput?: (s: string) => void };
    stderr.write(prompt);
    output._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      stderr.write('\n');
      resolve(answer);
    });
  });
}
