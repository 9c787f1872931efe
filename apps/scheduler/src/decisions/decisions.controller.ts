import { Controller, Get, Inject, Param } from '@nestjs/common';
import { DomainError } from '@voxelfleet/platform';
import type { DecisionLog } from './decision-log.js';
import { LeaderElectionService } from '../leader/leader-election.service.js';
import { DECISION_LOG } from '../tokens.js';

@Controller('v1/scheduler')
export class DecisionsController {
  constructor(
    @Inject(DECISION_LOG) private readonly log: DecisionLog,
    @Inject(LeaderElectionService) private readonly leader: LeaderElectionService,
  ) {}

  /** Whether this instance leads; standbys answer too, so an operator can find the leader. */
  @Get('status')
  status(): { instance: string; leader: boolean } {
    return { instance: this.leader.instanceId, leader: this.leader.isLeader };
  }

  /** Re-runs a recorded pass (SCHEDULER_RECORD_TRACE=true) and compares it with the decision log. */
  @Get('passes/:digest/replay')
  async replay(@Param('digest') digest: string): Promise<Record<string, unknown>> {
    if (!/^[0-9a-f]{64}$/.test(digest)) {
      throw new DomainError(400, 'invalid_digest', 'digest must be 64 lower-case hex characters');
    }
    const verdict = await this.log.replay(digest);
    if (!verdict) throw new DomainError(404, 'pass_not_recorded', `no recorded trace for pass ${digest}`);
    return { passDigest: digest, ...verdict };
  }
}
