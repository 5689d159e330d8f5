import { pdfFormRenderer } from '../adapters/form-pdf';
import { createPorts } from '../adapters/ports';
import { readConfig } from '../config';
import { outboxStreamHandler } from './outbox-stream';

// The Lambda entry: its ports are built once, at load, from the environment. It alone renders
// forms, so it alone bundles pdf-lib, and it alone is given the font (lib/repair-functions.ts).
const config = readConfig();
const ports = createPorts(config);
export const handler = outboxStreamHandler(
  config.formFontFile ? { ...ports, formRenderer: pdfFormRenderer(config.formFontFile) } : ports,
);
