import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile, type ParsedFile } from '../../src/parsers/index.js';
import { Model } from '../../src/model/model.js';
import { K8sService, Workload } from '../../src/model/entities.js';
import { lint } from '../../src/engine/lint.js';
import { defaultConfig } from '../../src/engine/config.js';
import { cli, everyEntity, jsonRows, PARSER_FIXTURES, problems, span } from './util.js';

const F = PARSER_FIXTURES;
const parse = (rel: string): ParsedFile => {
  const path = join(F, rel);
  return parseFile(path, readFileSync(path, 'utf8'));
};
const formats = (pf: ParsedFile) => pf.documents.map((d) => d.format);

/** Lint fixture files with the every-entity rule; rows are `file line:col message [extra]`. */
function lintRows(rels: string[], extra: (f: { helmSource?: string; k8sObject?: string; cdkPath?: string; entity?: string }) => string = () => '') {
  const out = lint(
    rels.map((r) => ({ path: join(F, r), explicit: true })),
    { rules: [everyEntity], config: defaultConfig(F) },
  );
  return out.results.flatMap((r) => r.findings.map((f) => `${r.path.slice(F.length + 1)} ${f.line}:${f.column} ${f.message}${extra(f)}`));
}

describe('CloudFormation templates are recognised by content', () => {
  it('short-form YAML and long-form JSON', () => {
    expect(formats(parse('cfn/short-tags.yaml'))).toEqual(['cloudformation']);
    expect(formats(parse('cfn/long-form.json'))).toEqual(['cloudformation']);
  });

  it('a SAM template without AWSTemplateFormatVersion (Transform AWS::Serverless-2016-10-31)', () => {
    const pf = parse('cfn/sam.yaml');
    expect(formats(pf)).toEqual(['cloudformation']);
    const m = new Model([pf]);
    expect(m.templates[0]!.transforms).toEqual(['AWS::Serverless-2016-10-31']);
    expect([...m.templates[0]!.resources.values()].map((r) => r.type)).toEqual(['AWS::Serverless::Function']);
  });

  it('an AWS::LanguageExtensions template whose Resources hold only Fn::ForEach loops', () => {
    const pf = parse('cfn/foreach.yaml');
    expect(pf.problems).toEqual([]);
    expect(formats(pf)).toEqual(['cloudformation']);
    const m = new Model([pf]);
    expect(m.templates[0]!.transforms).toEqual(['AWS::LanguageExtensions']);
    expect(m.templates[0]!.resources.size).toBe(0); // the loop's body is a pattern, not a resource
  });

  it('custom resources and nested stacks, without AWSTemplateFormatVersion', () => {
    const pf = parse('cfn/custom-and-nested.json');
    expect(formats(pf)).toEqual(['cloudformation']);
    const t = new Model([pf]).templates[0]!;
    expect([...t.resources.values()].map((r) => `${r.logicalId} ${r.type}`)).toEqual([
      'NetworkStack AWS::CloudFormation::Stack',
      'AmiLookup Custom::AmiLookup',
      'Seeder AWS::CloudFormation::CustomResource',
    ]);
    expect(span(t.resources.get('AmiLookup')!.key)).toBe('13:5-13:16');
    expect(t.resources.get('AmiLookup')!.props.prop('ServiceToken').res).toEqual({ kind: 'unknown', reason: 'imported value (Fn::ImportValue)' });
  });

  it('findings in a template name the logical id', () => {
    expect(lintRows(['cfn/custom-and-nested.json'], (f) => ` [${f.entity}]`)).toEqual([
      'cfn/custom-and-nested.json 6:5 resource NetworkStack [NetworkStack]',
      'cfn/custom-and-nested.json 13:5 resource AmiLookup [AmiLookup]',
      'cfn/custom-and-nested.json 20:5 resource Seeder [Seeder]',
    ]);
  });
});

describe('ECS task definitions', () => {
  it('register-task-definition input JSON', () => {
    const pf = parse('ecs/register-input.json');
    expect(pf.documents.map((d) => [d.format, d.wrapped ?? false])).toEqual([['ecs-task-definition', false]]);
    const td = new Model([pf]).taskDefinitions[0]!;
    expect([td.family.str(), td.cpu.str(), td.containers.map((c) => c.name), td.requiresFargate()]).toEqual(['orders-api', '512', ['api'], 'yes']);
    expect(span(td.anchor)).toBe('2:3-2:11'); // the family key
    expect(span(td.taskRole.node)).toBe('3:18-3:66');
  });

  it('describe-task-definition output: the definition inside {"taskDefinition": {...}}', () => {
    const pf = parse('ecs/describe-output.json');
    expect(pf.documents.map((d) => [d.format, d.wrapped ?? false])).toEqual([['ecs-task-definition', true]]);
    const td = new Model([pf]).taskDefinitions[0]!;
    expect([td.family.str(), td.memory.str(), td.containers.map((c) => c.name)]).toEqual(['orders-worker', '512', ['worker']]);
    expect(span(td.anchor)).toBe('15:9-15:17');
    expect(span(td.containers[0]!.image.node)).toBe('7:26-7:92');
  });

  it('the flat form with read-only fields (taskDefinitionArn, revision, status, registeredAt, ...)', () => {
    const pf = parse('ecs/describe-flat.json');
    expect(formats(pf)).toEqual(['ecs-task-definition']);
    const td = new Model([pf]).taskDefinitions[0]!;
    expect([td.family.str(), td.props.prop('revision').num(), td.containers[0]!.commandParts().map((p) => p.str())]).toEqual(['orders-cron', 3, ['sh', '-c', 'echo tick']]);
  });

  it('the same input written as YAML (--cli-input-yaml)', () => {
    const pf = parse('ecs/cli-input.yaml');
    expect(formats(pf)).toEqual(['ecs-task-definition']);
    expect(new Model([pf]).taskDefinitions[0]!.family.str()).toBe('orders-migrate');
  });

  it('findings in task-definition files name the family', () => {
    expect(lintRows(['ecs/describe-output.json', 'ecs/register-input.json'])).toEqual([
      'ecs/describe-output.json 15:9 task definition orders-worker',
      'ecs/register-input.json 2:3 task definition orders-api',
    ]);
  });
});

describe('Kubernetes manifests', () => {
  it('multi-document YAML: empty documents are skipped, `kind: List` items become objects', () => {
    const pf = parse('k8s/multi.yaml');
    expect(pf.problems).toEqual([]);
    expect(pf.documents.map((d) => `${d.index} ${d.format} ${span(d.root)}`)).toEqual([
      '0 kubernetes 2:1-6:1',
      '3 kubernetes 13:5-18:1',
      '3 kubernetes 18:5-35:1',
      '4 kubernetes 37:1-47:1',
    ]);
    const m = new Model([pf]);
    expect(m.k8sObjects.map((o) => `${o.objectKind}/${o.label}`)).toEqual(['Namespace/orders', 'ServiceAccount/orders-api', 'Deployment/orders-api', 'Service/orders-api']);
    expect(m.workloads[0]).toBeInstanceOf(Workload);
    expect(m.workloads[0]!.containers.map((c) => c.image.str())).toEqual(['123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.4.2']);
    expect(m.k8sServices[0]).toBeInstanceOf(K8sService);
  });

  it('findings carry the object, at its name', () => {
    expect(lintRows(['k8s/multi.yaml'], (f) => ` [${f.k8sObject}]`)).toEqual([
      'k8s/multi.yaml 5:9 object orders [Namespace/orders]',
      'k8s/multi.yaml 16:13 object orders-api [ServiceAccount/orders/orders-api]',
      'k8s/multi.yaml 21:13 object orders-api [Deployment/orders/orders-api]',
      'k8s/multi.yaml 40:9 object orders-api [Service/orders/orders-api]',
    ]);
  });

  it("Helm output: each document keeps its `# Source:` path, and so do the findings in it", () => {
    const pf = parse('k8s/helm-rendered.yaml');
    expect(pf.documents.map((d) => `${d.index} ${d.helmSource}`)).toEqual(['0 orders/templates/serviceaccount.yaml', '2 orders/templates/deployment.yaml']);
    expect(lintRows(['k8s/helm-rendered.yaml'], (f) => ` [${f.helmSource}]`)).toEqual([
      'k8s/helm-rendered.yaml 6:9 object orders [orders/templates/serviceaccount.yaml]',
      'k8s/helm-rendered.yaml 15:9 object orders [orders/templates/deployment.yaml]',
    ]);
  });

  it('an unrendered Helm template is skipped, not reported as broken', () => {
    for (const rel of ['k8s/chart/templates/deployment.yaml', 'k8s/chart/templates/service.yaml']) {
      const pf = parse(rel);
      expect(pf.skipped).toBe('an unrendered template ({{ }} placeholders); render it first (e.g. `helm template`)');
      expect(pf.problems).toEqual([]);
    }
  });

  it('...with a one-line notice when named explicitly, and silently in a directory walk', async () => {
    const named = await cli(['k8s/chart/templates/deployment.yaml', '--format', 'json'], F);
    expect(named.code).toBe(0);
    expect(named.stderr).toBe(`stowage: ${join(F, 'k8s/chart/templates/deployment.yaml')}: an unrendered template ({{ }} placeholders); render it first (e.g. \`helm template\`); skipped\n`);
    expect(JSON.parse(named.stdout)).toEqual([]);
    const walked = await cli(['k8s/chart', '--format', 'json'], F);
    expect([walked.code, walked.stderr, walked.stdout.trim()]).toEqual([0, '', '[]']);
  });
});

describe('eksctl', () => {
  it('a ClusterConfig (eksctl.io/v1alpha5) is its own format', () => {
    const pf = parse('eksctl/cluster.yaml');
    expect(formats(pf)).toEqual(['eksctl']);
    const c = new Model([pf]).eksctlConfigs[0]!;
    expect([c.label, span(c.anchor), c.props.prop('managedNodeGroups').objects()[0]!.prop('instanceType').str()]).toEqual(['orders', '4:9-4:15', 'm6i.large']);
  });
});

describe('files that are none of these', () => {
  const others = ['other/values.yaml', 'other/package.json', 'other/ci.yml', 'other/appspec.yaml'];

  it('are not recognised (a CodeDeploy AppSpec with a Resources list is not a template)', () => {
    for (const rel of others) {
      const pf = parse(rel);
      expect([rel, pf.recognized, pf.documents.length, problems(pf)]).toEqual([rel, false, 0, []]);
    }
  });

  it('are skipped silently in a directory walk and get a one-line notice each when named', async () => {
    const walked = await cli(['other', '--format', 'json'], F);
    expect([walked.code, walked.stderr, walked.stdout.trim()]).toEqual([0, '', '[]']);
    const named = await cli([...others, '--format', 'json'], F);
    expect(named.code).toBe(0);
    expect(named.stderr.trim().split('\n')).toEqual(
      others.map((rel) => `stowage: ${join(F, rel)}: not a CloudFormation template, ECS task definition, Kubernetes manifest or eksctl config; skipped`),
    );
  });

  it('a broken file that looks like one of ours is reported in a walk; one that does not is not', async () => {
    const r = await cli(['bad', '--format', 'json'], F);
    expect(jsonRows(r.stdout, join(F, 'bad'))).toEqual([
      'broken-task.json 5:5 parse-error comma expected',
      'broken-template.yaml 7:13 parse-error Plain value cannot start with reserved character @',
    ]);
  });
});
