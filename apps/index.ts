import { Construct } from 'constructs';
import { gazette } from './gazette';
import { links } from './links';
import { portfolio } from './portfolio';
import { whoami } from './whoami';

/** Every app of the example cluster, one line each. */
export const apps: ReadonlyArray<(scope: Construct) => unknown> = [
  gazette,
  links,
  portfolio,
  whoami,
];
