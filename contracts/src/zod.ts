import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// zod 4 copies prototype methods onto each schema when it is made, so `.openapi()` (used by the
// edges' OpenAPI documents) must be on the prototype before any contract schema exists.
extendZodWithOpenApi(z);

export { z };
