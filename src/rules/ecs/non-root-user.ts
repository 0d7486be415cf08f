import { defineRule } from '../../engine/rule.js';

/** `root`, `0`, `0:0`, `root:root`, `0:1000`: the user part names uid 0. */
function isRootUser(user: string): boolean {
  const name = user.trim().split(':')[0]!.trim();
  return name === 'root' || /^0+$/.test(name);
}

export default defineRule({
  id: 'ecs/non-root-user',
  severity: 'warning',
  description: 'Linux containers should run as a non-root user.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      if (td.containers.length === 0 || td.windows() !== 'no') continue;
      for (const c of td.containers) {
        const user = c.props.prop('User');
        const where = `Container ${c.label} of task definition "${td.label}"`;
        if (user.absent) {
          report(c.props.prop('Name'), `${where} sets no User, so it runs as the image's default user, which is root unless the image's Dockerfile sets USER; set User to a non-root user or UID (for example "1000" or "1000:1000") that can read the files the application needs.`);
          continue;
        }
        const s = user.str();
        if (s === undefined || !isRootUser(s)) continue;
        report(user, `${where} runs as root (User: "${s}"), so whoever takes over the process is root in the container: free to change the image's files, install tools and read or write every mounted volume as uid 0; set User to a non-root user or UID (for example "1000" or "1000:1000") and give that user the files and ports it needs.`, { atKey: true });
      }
    }
  },
});
