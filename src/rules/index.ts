import type { Rule } from '../engine/rule.js';
import elbNoClassicLoadBalancer from './elb/no-classic-load-balancer.js';

/** Every built-in rule, in catalogue order. */
export const builtinRules: Rule[] = [elbNoClassicLoadBalancer];
