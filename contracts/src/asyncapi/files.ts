import { messagingServices } from '../services.ts';
import { asyncApiDocument, type AsyncApiDocument } from './document.ts';

/**
 * The AsyncAPI documents checked in under `generated/asyncapi/`, by file name: `warren.json` for
 * the whole system and `<service>.json` for each service's part.
 */
export function asyncApiFiles(): Record<string, AsyncApiDocument> {
  return {
    'warren.json': asyncApiDocument(),
    ...Object.fromEntries(messagingServices().map((service) => [`${service}.json`, asyncApiDocument({ service })])),
  };
}
