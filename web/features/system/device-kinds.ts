import type { DeviceKind } from '../../../src/contracts/device.schema.ts';

// Values are repeated here (type-checked against the contract) so that the page does not pull zod into the bundle.

export const deviceKinds = [
  'manhole_cover',
  'water_level',
  'smoke',
  'waterlogging',
  'garbage_overflow',
] as const satisfies readonly DeviceKind[];

/** The category the form proposes for each kind (the server's deviceKindInfo.suggestedCategory). */
export const suggestedCategory: Record<DeviceKind, string> = {
  manhole_cover: 'BJ0101',
  water_level: 'SJ0406',
  smoke: 'SJ0453',
  waterlogging: 'SJ0406',
  garbage_overflow: 'SJ0156',
};
