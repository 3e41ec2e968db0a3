/*! The user config, $XDG_CONFIG_HOME/mapsdiff/config.json (default ~/.config/mapsdiff/): for
 * now one section, "targets", mapsdiff's defaults (processes, ceiling, timeouts...) for
 * ~/.ssh/config Host aliases, keyed by alias, so an alias needs no target file. Read only
 * when a target is resolved; a mistake is a UsageError naming the file and the field. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { checkTargetFields, type TargetFile } from './target-file.js';

/** What an alias's entry may set: what a target file sets beyond where and how to log in
 * (that is the Host block's job). */
export const ALIAS_FIELDS = ['processes', 'smaps', 'ceiling', 'connectTimeout', 'captureTimeout', 'maxOutput', 'sshClient', 'description'] as const;
export type AliasDefaults = Pick<TargetFile, (typeof ALIAS_FIELDS)[number]>;

export function configDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config'), 'mapsdiff');
}

export const userConfigPath = (env: NodeJS.ProcessEnv): string => path.join(configDir(env), 'config.json');

/** The "targets" section of the user config: alias -> defaults ({} when there is no config file). */
export function aliasDefaults(env: NodeJS.ProcessEnv): { file: string; targets: Record<string, AliasDefaults> } {
  const file = userConfigPath(env);
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, targets: {} };
    throw new UsageError(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try { data = JSON.parse(text); } catch (err) { throw new UsageError(`${file}: not JSON: ${(err as Error).message}`); }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const example = '{"targets": {"board1": {"processes": ["leaker"], "ceiling": "0xbf000000"}}}';
  if (!isObject(data)) throw new UsageError(`${file}: the config holds one JSON object, e.g. ${example}`);
  for (const k of Object.keys(data)) if (k !== 'targets') throw new UsageError(`${file}: unknown field "${k}"; the fields are: targets (docs/targets.md)`);
  const targets = data.targets ?? {};
  if (!isObject(targets)) throw new UsageError(`${file}: "targets" holds an object keyed by ~/.ssh/config Host alias, e.g. ${example}`);
  const out: Record<string, AliasDefaults> = {};
  for (const [alias, v] of Object.entries(targets)) {
    if (!isObject(v)) throw new UsageError(`${file}: "targets"."${alias}" must be an object, e.g. {"processes": ["leaker"]}`);
    checkTargetFields(v, `${file}: "targets"."${alias}"`, [...ALIAS_FIELDS]);
    Object.defineProperty(out, alias, { value: v as AliasDefaults, enumerable: true });
  }
  return { file, targets: out };
}
