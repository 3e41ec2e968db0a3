/*! What mapsdiff's own SSH client does with each ssh_config keyword in effect for a host: used
 * (docs/targets.md lists them), without effect for one non-interactive command, or not supported,
 * said by name on stderr, or refused where ignoring it would weaken security. */
import { UsageError } from '../errors.js';
import { matchPatternList } from '../parse/ssh-config.js';
import type { SshConfigValues } from './ssh-config.js';

/** Read and applied (ssh-endpoint.ts). */
export const USED = ['hostname', 'user', 'port', 'identityfile', 'identitiesonly', 'identityagent', 'hostkeyalias',
  'userknownhostsfile', 'globalknownhostsfile', 'stricthostkeychecking', 'hashknownhosts', 'connecttimeout',
  'serveraliveinterval', 'serveralivecountmax', 'proxyjump', 'proxycommand', 'batchmode', 'tag', 'ignoreunknown'];

/** Make no difference to one exec of a capture script with no terminal, forwarding or X. */
const NO_EFFECT = ['loglevel', 'logverbose', 'syslogfacility', 'sendenv', 'setenv', 'escapechar', 'requesttty', 'forwardx11trusted',
  'forwardx11timeout', 'xauthlocation', 'ipqos', 'tcpkeepalive', 'visualhostkey', 'checkhostip', 'updatehostkeys',
  'numberofpasswordprompts', 'connectionattempts', 'exitonforwardfailure', 'clearallforwardings', 'gatewayports',
  'streamlocalbindmask', 'streamlocalbindunlink', 'enableescapecommandline', 'obscurekeystroketiming', 'channeltimeout',
  'warnweakcrypto', 'addkeystoagent', 'fingerprinthash', 'canonicaldomains', 'canonicalizefallbacklocal',
  'canonicalizemaxdots', 'canonicalizepermittedcnames', 'sessiontype', 'stdinnull', 'forkafterauthentication',
  'nohostauthenticationforlocalhost', 'pubkeyacceptedalgorithms', 'pubkeyacceptedkeytypes', 'hostbasedacceptedalgorithms',
  'casignaturealgorithms', 'requiredrsasize', 'rekeylimit', 'localcommand', 'tunneldevice', 'controlpersist',
  'gssapidelegatecredentials', 'gssapikeyexchange', 'gssapitrustdns', 'gssapiclientidentity', 'gssapiserveridentity',
  'gssapirenewalforcesrekey', 'gssapikexalgorithms', 'usekeychain', 'protocol', 'usedns'];

/** Without effect at one value, not supported at the others. */
const OFF_VALUES: Record<string, RegExp> = {
  forwardagent: /^(no|false)$/i, forwardx11: /^(no|false)$/i, compression: /^(no|false)$/i,
  gssapiauthentication: /^(no|false)$/i, controlmaster: /^(no|false)$/i, controlpath: /^none$/i,
  canonicalizehostname: /^(no|false)$/i, permitlocalcommand: /^(no|false)$/i, verifyhostkeydns: /^(no|false)$/i,
  proxyusefdpass: /^(no|false)$/i, tunnel: /^(no|false)$/i, hostbasedauthentication: /^(no|false)$/i,
  pubkeyauthentication: /^(yes|true)$/i, passwordauthentication: /^(yes|true)$/i, kbdinteractiveauthentication: /^(yes|true)$/i,
  challengeresponseauthentication: /^(yes|true)$/i, addressfamily: /^any$/i, remotecommand: /^none$/i,
  knownhostscommand: /^none$/i,
};

/** Not supported at any value; ignored with a notice. */
const NOT_SUPPORTED = ['certificatefile', 'pkcs11provider', 'securitykeyprovider', 'localforward', 'remoteforward',
  'dynamicforward', 'bindaddress', 'bindinterface', 'preferredauthentications', 'kbdinteractivedevices'];

/** Ignoring these could accept what the user's config refuses: refused, not skipped. */
const ALGORITHMS = ['ciphers', 'kexalgorithms', 'macs', 'hostkeyalgorithms'];

const KNOWN = new Set([...USED, ...NO_EFFECT, ...Object.keys(OFF_VALUES), ...NOT_SUPPORTED, ...ALGORITHMS, 'revokedhostkeys']);
const OPENSSH = 'use --ssh-client openssh to have the system ssh apply it';

/** Notices for what is in effect and not applied; throws UsageError for what cannot be ignored safely. */
export function unsupportedNotices(c: SshConfigValues): string[] {
  const out: string[] = [];
  const ignoreUnknown = c.arg('ignoreunknown');
  for (const [kw, lines] of c.lines) {
    const l = lines[0]!;
    if (l.line === 0) continue; // given, not from a file
    const at = `${l.file} line ${l.line}`;
    const name = l.name;
    if (USED.includes(kw) || NO_EFFECT.includes(kw)) continue;
    if (kw === 'revokedhostkeys') {
      throw new UsageError(`${at}: RevokedHostKeys is not read by mapsdiff's SSH client, which would then accept a key revoked there; ${OPENSSH}`);
    }
    if (ALGORITHMS.includes(kw)) {
      // `+list` only adds (mapsdiff already offers old algorithms last); a replacing or `-` list restricts, which we cannot honour
      if (/^[+]/.test(l.args[0] ?? '')) out.push(`${at}: ${name} ${l.args[0]} not applied: mapsdiff offers modern algorithms first and old Dropbear's last`);
      else throw new UsageError(`${at}: ${name} ${l.args.join(' ')} restricts the algorithms; mapsdiff's SSH client cannot apply that list and would offer others; ${OPENSSH}`);
      continue;
    }
    // Debian's and Ubuntu's /etc/ssh/ssh_config turn GSSAPI on for every host: a site default that
    // only adds one login method to try, so it is named only when the user's own config asks for it
    if (kw === 'gssapiauthentication' && l.system) continue;
    const off = OFF_VALUES[kw];
    if (off) {
      if (!off.test(l.args.join(' '))) out.push(`${at}: ${name} ${l.args.join(' ')} is not supported by mapsdiff's SSH client, ignored; ${OPENSSH}`);
      continue;
    }
    if (KNOWN.has(kw)) { out.push(`${at}: ${name} is not supported by mapsdiff's SSH client, ignored; ${OPENSSH}`); continue; }
    if (ignoreUnknown && matchPatternList(kw, ignoreUnknown.toLowerCase(), true) === 1) continue;
    out.push(`${at}: unknown keyword ${name}, ignored (ssh itself would refuse it unless IgnoreUnknown names it)`);
  }
  return out;
}
