import { defineRule } from '../../engine/rule.js';
import type { CfnResource } from '../../model/cfn.js';
import type { FileView } from '../../model/model.js';
import { isMap } from '../../parsers/tree.js';
import { actionsServe, LB, lbScheme, lbType, listenerRules, refResource, LISTENER } from './lib/elbv2.js';

/** Does an output of the listener's template give out the listener (for other stacks to attach rules)? */
function exported(listener: CfnResource): boolean {
  const outputs = listener.template.root.get('Outputs');
  if (!isMap(outputs)) return false;
  for (const { value } of outputs.entries) {
    const v = isMap(value) ? value.get('Value') : undefined;
    if (!v) continue;
    const r = listener.template.resolve(v);
    if (r.kind === 'ref' && r.resource === listener) return true;
  }
  return false;
}

/** Does the load balancer have an HTTPS listener in the run? */
function httpsListenerOn(model: FileView, lb: CfnResource): boolean {
  return model.resources(LISTENER).some((l) => refResource(l.props.prop('LoadBalancerArn'), LB) === lb && l.props.prop('Protocol').isCI('HTTPS'));
}

export default defineRule({
  id: 'elb/https-listener',
  severity: 'warning',
  description: 'Internet-facing Application Load Balancers should serve HTTPS, and HTTP listeners should redirect to it.',
  check({ model, report }) {
    for (const listener of model.resources(LISTENER)) {
      const protocol = listener.props.prop('Protocol');
      if (!protocol.isCI('HTTP')) continue;
      const lb = refResource(listener.props.prop('LoadBalancerArn'), LB);
      if (lb === undefined || lb === 'unknown') continue;
      if (lbType(lb) !== 'application' || lbScheme(lb) !== 'internet-facing') continue;
      const defaults = listener.props.prop('DefaultActions');
      const actions = defaults.list();
      if (!actions) continue;
      let redirect = false;
      let unknown = false;
      for (const i of actions) {
        const a = i.obj();
        if (!a) {
          if (i.present) unknown = true;
          continue;
        }
        const type = a.prop('Type');
        if (!type.known) unknown = true;
        else if (type.isCI('redirect')) {
          const p = a.obj('RedirectConfig')?.prop('Protocol');
          if (!p || !p.known) unknown = true;
          else if (p.isCI('HTTPS')) redirect = true;
        }
      }
      if (redirect || unknown) continue;
      // A listener whose default action only answers (fixed-response) serves nothing over HTTP
      // unless a listener rule of the run forwards.
      let serves = actionsServe(defaults);
      if (serves === 'no') {
        for (const rule of listenerRules(model).get(listener) ?? []) {
          const s = actionsServe(rule.props.prop('Actions'));
          if (s === 'yes') serves = 'yes';
        }
      }
      if (serves !== 'yes') continue;
      // Stacks that export the HTTP listener next to an HTTPS one let service stacks add the listener
      // rules (typically redirects, as AWS Copilot does): what the listener serves is decided elsewhere.
      if (exported(listener) && httpsListenerOn(model, lb)) continue;
      const port = listener.props.prop('Port').str();
      report(
        protocol,
        `Listener "${listener.logicalId}" of internet-facing Application Load Balancer "${lb.logicalId}" serves plain HTTP${port ? ` on port ${port}` : ''} without redirecting to HTTPS, so requests, cookies and credentials cross the internet unencrypted; add an HTTPS listener with a certificate and make this listener's default action a redirect (Type: redirect, RedirectConfig.Protocol: HTTPS, StatusCode: HTTP_301).`,
      );
    }
  },
});
