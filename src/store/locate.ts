/*! Finds the snapshot store the way git finds .git: --store DIR, else $MAPSDIFF_STORE,
 * else the nearest .mapsdiff/ above the working directory, else one in the working
 * directory (created on the first write, never by a read). */
import { statSync } from 'node:fs';
import path from 'node:path';

export const STORE_DIRNAME = '.mapsdiff';

export interface StoreLocation {
  dir: string;
  /** Where the choice came from, for messages. */
  how: '--store' | 'MAPSDIFF_STORE' | 'found' | 'new';
}

export function locateStore(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): StoreLocation {
  if (flag) return { dir: path.resolve(cwd, flag), how: '--store' };
  if (env.MAPSDIFF_STORE) return { dir: path.resolve(cwd, env.MAPSDIFF_STORE), how: 'MAPSDIFF_STORE' };
  for (let dir = path.resolve(cwd); ; ) {
    const candidate = path.join(dir, STORE_DIRNAME);
    if (isDir(candidate)) return { dir: candidate, how: 'found' };
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { dir: path.join(path.resolve(cwd), STORE_DIRNAME), how: 'new' };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
