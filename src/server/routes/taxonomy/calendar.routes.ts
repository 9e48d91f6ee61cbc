import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  calendarYearParamSchema,
  calendarYearSchema,
  calendarYearSummarySchema,
  putCalendarYearBodySchema,
} from '../../../contracts/taxonomy.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

/** The work calendar (工作日历): the loaded years, one year's dates, loading or replacing a year. */
export const calendarRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['calendar'];

  app.get(
    '/calendar/years',
    {
      config: { permission: 'case.view' },
      schema: { tags, response: { 200: z.object({ items: z.array(calendarYearSummarySchema) }) } },
    },
    (req) => services.calendar.years(actorOf(req)),
  );

  app.get(
    '/calendar/years/:year',
    {
      config: { permission: 'case.view' },
      schema: { tags, params: calendarYearParamSchema, response: { 200: calendarYearSchema } },
    },
    (req) => services.calendar.year(actorOf(req), req.params.year),
  );

  app.put(
    '/calendar/years/:year',
    {
      config: { permission: 'catalogue.manage' },
      schema: {
        tags,
        params: calendarYearParamSchema,
        body: putCalendarYearBodySchema,
        response: { 200: calendarYearSchema },
      },
    },
    (req) => services.calendar.putYear(actorOf(req), req.params.year, req.body),
  );
};
