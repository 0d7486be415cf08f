import { UNKNOWN } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import type { FileView } from '../../model/model.js';
import type { Tri } from '../../model/entities.js';
import { wildcardMatch } from '../../engine/glob.js';
import { repoLabel } from './lib/repository.js';

/**
 * Registry scanning rules of the run (`AWS::ECR::RegistryScanningConfiguration`) that scan on push
 * or continuously, as filters: a filter is a wildcard pattern, or 'unknown' when it cannot be known.
 */
function registryScanFilters(model: FileView): Array<string | 'unknown'> {
  return model.all.memo('ecr/scan-on-push:registry', () => {
    const out: Array<string | 'unknown'> = [];
    for (const res of model.all.resources('AWS::ECR::RegistryScanningConfiguration')) {
      const rules = res.props.prop('Rules');
      const items = rules.list();
      if (!items) {
        if (rules.present) out.push('unknown');
        continue;
      }
      for (const item of items) {
        const rule = item.obj();
        if (!rule) {
          if (item.present) out.push('unknown');
          continue;
        }
        const freq = rule.prop('ScanFrequency');
        if (!freq.known) {
          out.push('unknown');
          continue;
        }
        if (!freq.is('SCAN_ON_PUSH', 'CONTINUOUS_SCAN')) continue;
        const filters = rule.prop('RepositoryFilters').list();
        if (!filters) {
          out.push('unknown');
          continue;
        }
        for (const f of filters) out.push(f.obj()?.prop('Filter').str() ?? 'unknown');
      }
    }
    return out;
  });
}

/** Does a registry scanning configuration of the run scan this repository? */
function registryScans(model: FileView, name: string | undefined): Tri {
  let unknown = false;
  for (const f of registryScanFilters(model)) {
    if (f === '*') return 'yes';
    if (f === 'unknown' || name === undefined) unknown = true;
    else if (wildcardMatch(f, name)) return 'yes';
  }
  return unknown ? UNKNOWN : 'no';
}

export default defineRule({
  id: 'ecr/scan-on-push',
  severity: 'warning',
  description: 'ECR repositories should scan images on push (or be covered by a registry scanning configuration).',
  check({ model, report }) {
    for (const repo of model.resources('AWS::ECR::Repository')) {
      const config = repo.props.prop('ImageScanningConfiguration');
      if (!config.known && config.present) continue;
      const obj = config.obj();
      if (config.present && !obj) continue;
      const scan = obj?.prop('ScanOnPush');
      if (scan && scan.present && scan.bool() !== false) continue;
      const nameProp = repo.props.prop('RepositoryName');
      if (nameProp.present && nameProp.str() === undefined) {
        if (registryScans(model, undefined) !== 'no') continue;
      } else if (registryScans(model, nameProp.str()) !== 'no') continue;
      const target = scan ?? config;
      const what = scan?.present ? 'sets ScanOnPush to false' : 'does not scan images on push';
      report(
        target,
        `${repoLabel(repo)} ${what}, so vulnerabilities in pushed images go unnoticed until someone scans by hand; set ImageScanningConfiguration.ScanOnPush to true, or scan every repository with an AWS::ECR::RegistryScanningConfiguration rule (SCAN_ON_PUSH or CONTINUOUS_SCAN).`,
      );
    }
  },
});
