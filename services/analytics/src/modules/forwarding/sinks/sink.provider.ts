import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { ANALYTICS_SINK, type AnalyticsSink } from './analytics-sink';
import { MixpanelSink } from './mixpanel.sink';
import { PostHogSink } from './posthog.sink';

/** The provider's client chosen by ANALYTICS_PROVIDER (null for `none`; config validation requires the key). */
export const analyticsSinkProvider: Provider = {
  provide: ANALYTICS_SINK,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): AnalyticsSink | null => {
    const f = config.analytics!.forwarding;
    switch (f.provider) {
      case 'posthog':
        return f.posthog ? new PostHogSink(f.posthog.apiKey, f.posthog.host) : null;
      case 'mixpanel':
        return f.mixpanel ? new MixpanelSink(f.mixpanel.token, f.mixpanel.host) : null;
      case 'none':
        return null;
    }
  },
};
