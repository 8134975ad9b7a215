/** The club commands, in help order. */
import type { AnyCommand } from '../types.js';
import { clubAdmin, clubCreate, clubDescription, clubDisband, clubIcon, clubOpen, clubTransfer } from './manage.js';
import { clubAccept, clubApplicants, clubBan, clubJoin, clubKick, clubLeave, clubReject, clubUnban } from './membership.js';
import { clubInfo, clubLeaderboard } from './info.js';

export const clubCommands: AnyCommand[] = [
  clubInfo,
  clubLeaderboard,
  clubCreate,
  clubJoin,
  clubLeave,
  clubIcon,
  clubDescription,
  clubOpen,
  clubApplicants,
  clubAccept,
  clubReject,
  clubKick,
  clubBan,
  clubUnban,
  clubAdmin,
  clubTransfer,
  clubDisband,
] as AnyCommand[];
