/** How messages and events name the instance that answered: `type/slug`. */
export function agentSchemaOf(instance: { type: string; slug: string }): string {
  return `${instance.type}/${instance.slug}`;
}
