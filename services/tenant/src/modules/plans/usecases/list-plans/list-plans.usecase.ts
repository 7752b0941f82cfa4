import { Injectable } from '@nestjs/common';
import { PlansRepository, type PlanView } from '../../plans.repository';

@Injectable()
export class ListPlansUseCase {
  constructor(private readonly plans: PlansRepository) {}

  async execute(): Promise<{ items: PlanView[] }> {
    return { items: await this.plans.list() };
  }
}
